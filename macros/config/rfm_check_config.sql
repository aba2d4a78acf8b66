{#- on-run-start: check what parsing cannot, before any seed or model runs:
    the settings only the end-of-run hooks read, and a purchases file with its
    columns. Tables (the sample seed, a source) are checked when stg_purchases
    runs: ref() and source() cannot be used in a hook, and the seed may not be
    loaded yet. -#}
{% macro rfm_check_config() -%}
    {%- if execute and flags.WHICH in ['build', 'run', 'test', 'compile'] -%}
        {%- do rfm_flag('publish_exports', true) -%}
        {%- do rfm_flag('export_csv', false) -%}
        {%- do rfm_export_path() -%}
        {%- do rfm_timestamp_format() -%}
        {%- if var('purchases_path', none) -%}
            {%- do rfm_purchases_column_map(rfm_purchases_input()) -%}
        {%- endif -%}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}
