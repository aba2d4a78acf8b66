{% macro rfm_export_path() -%}
    {%- set value = var('export_path', 'exports') -%}
    {%- if value is not string or value.strip() == '' -%}
        {{ rfm_config_error('export_path', "expected a folder path, got " ~ (value | tojson)) }}
    {%- endif -%}
    {{- return(value.strip().rstrip('/')) -}}
{%- endmacro %}
