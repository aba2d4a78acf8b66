{#- The lines of the customers CSV files that are not records (as
    stg_purchases_malformed_lines): kept here with their line number, counted
    in the build log; the other records still give demographics. -#}
{{ config(materialized='table') }}

{{ rfm_malformed_lines('customers') }}
