{#- on-run-start: check what parsing cannot, before any seed or model runs:
    the settings only the end-of-run hooks read, and the purchases file or
    warehouse table with its columns. (The sample seed may not be loaded yet;
    it is ours and needs no check.) -#}
{% macro rfm_check_config() -%}
    {%- if execute and flags.WHICH in ['build', 'run', 'test', 'compile'] -%}
        {%- do rfm_flag('publish_exports', true) -%}
        {%- do rfm_flag('export_csv', false) -%}
        {%- do rfm_export_path() -%}
        {%- do rfm_export_parquet_compression() -%}
        {%- do rfm_exact_duplicates() -%}
        {%- do rfm_timestamp_format() -%}
        {%- if var('purchases_path', none) -%}
            {%- do rfm_purchases_column_map(rfm_purchases_input()) -%}
        {%- elif var('purchases_source_table', none) -%}
            {#- source() is not available in hooks: look the table up directly. -#}
            {%- set table = var('purchases_source_table') -%}
            {%- set schema = var('purchases_source_schema', none) or target.schema -%}
            {%- set relation = adapter.get_relation(database=target.database, schema=schema, identifier=table) -%}
            {%- if relation is none -%}
                {{ rfm_config_error('purchases_source_table', "table '" ~ table ~ "' not found in schema '" ~ schema ~ "' (set purchases_source_schema if it lives elsewhere)") }}
            {%- endif -%}
            {%- do rfm_purchases_column_map({'kind': 'source', 'label': "purchases_source_table '" ~ table ~ "'", 'relation': relation}) -%}
        {%- endif -%}
        {%- do rfm_check_demographics() -%}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}
