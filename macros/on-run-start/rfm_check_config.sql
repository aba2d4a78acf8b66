{#- on-run-start: check what parsing cannot, before any seed or model runs:
    the settings only the end-of-run hooks read, and every input file or
    warehouse table with its columns. (The sample seeds may not be loaded yet;
    they are ours and need no check.) -#}
{% macro rfm_check_config() -%}
    {%- if execute and flags.WHICH in ['build', 'run', 'test', 'compile'] -%}
        {%- do rfm_flag('publish_exports', true) -%}
        {%- do rfm_flag('export_csv', false) -%}
        {%- do rfm_flag('publish_report', true) -%}
        {%- do rfm_export_path() -%}
        {%- do rfm_export_keep_builds() -%}
        {%- do rfm_export_parquet_compression() -%}
        {%- do rfm_timestamp_format() -%}
        {#- Checked even when no model reads them (history off). -#}
        {%- do rfm_history_periods() -%}
        {%- do rfm_history_grain() -%}
        {%- do rfm_flag('export_rfm_history', false) -%}
        {%- do rfm_max_malformed_share() -%}
        {%- do rfm_amount_outliers() -%}
        {%- do rfm_exact_duplicates() -%}
        {%- do rfm_amount_outlier_factor() -%}
        {%- do rfm_customer_id_case() -%}
        {%- do rfm_check_input('purchases') -%}
        {%- do rfm_check_demographics() -%}
        {%- do rfm_check_clv() -%}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}
