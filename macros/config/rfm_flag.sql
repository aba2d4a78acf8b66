{% macro rfm_flag(var_name, default) -%}
    {%- set value = var(var_name, default) -%}
    {%- if value is string and value | lower in ['true', 'false'] -%}{%- set value = value | lower == 'true' -%}{%- endif -%}
    {%- if value is not boolean -%}
        {{ rfm_config_error(var_name, "expected true or false, got " ~ (value | tojson)) }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
