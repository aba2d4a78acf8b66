{% macro rfm_lookback_days() -%}
    {%- set value = var('rfm_lookback_days', none) -%}
    {%- if value is none -%}{{ return(none) }}{%- endif -%}
    {{- return(rfm_whole_number('rfm_lookback_days', value, 1, none, 'a positive whole number of days')) -}}
{%- endmacro %}
