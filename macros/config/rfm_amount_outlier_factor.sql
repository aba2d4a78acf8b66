{% macro rfm_amount_outlier_factor() -%}
    {#- The validated var amount_outlier_factor: a line beyond this many times the
        99.9th percentile of absolute amounts is an outlier. -#}
    {%- set value = var('amount_outlier_factor', 1000) -%}
    {%- if value is boolean or value is not number or value <= 1 -%}
        {{ rfm_config_error('amount_outlier_factor', "expected a number greater than 1 such as 1000, got " ~ (value | tojson)) }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
