{#- The lines of the purchases CSV files that are not rows: too many or too
    few fields, a stray or unclosed quote, bytes that are not UTF-8. They go
    to fct_purchases_rejected and the reconciliation; see rfm_malformed_lines. -#}
{{ config(materialized='table') }}

{{ rfm_malformed_lines('purchases') }}
