{% macro rfm_choice(var_name, allowed, default) -%}
    {%- set value = var(var_name, default) -%}
    {%- if value is not string or value | lower not in allowed -%}
        {{ rfm_config_error(var_name, "expected one of " ~ allowed | join(', ') ~ ", got " ~ (value | tojson)) }}
    {%- endif -%}
    {{- return(value | lower) -}}
{%- endmacro %}
