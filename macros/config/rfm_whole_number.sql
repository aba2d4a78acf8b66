{% macro rfm_whole_number(var_name, value, minimum, maximum, expected) -%}
    {#- A whole number within [minimum, maximum] (maximum may be none); digits
        given as text (from the command line) are accepted. -#}
    {%- if value is string and value.strip().isdigit() -%}{%- set value = value.strip() | int -%}{%- endif -%}
    {%- if value is not number or value is boolean or value != (value | int)
            or value < minimum or (maximum is not none and value > maximum) -%}
        {{ rfm_config_error(var_name, "expected " ~ expected ~ ", got " ~ (value | tojson)) }}
    {%- endif -%}
    {{- return(value | int) -}}
{%- endmacro %}
