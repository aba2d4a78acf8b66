{#- A plain decimal number: digits with an optional sign, point and short
    exponent ('12', '-3.50', '.5', '1e3'). -#}
{% macro rfm_number_pattern() -%}
    {{- return('^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$') -}}
{%- endmacro %}
