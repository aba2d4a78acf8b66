{% macro rfm_days_in_month(year, month) -%}
    {%- set first = modules.datetime.date(year, month, 1) -%}
    {%- set next_first = modules.datetime.date(year + (month // 12), (month % 12) + 1, 1) -%}
    {{- return((next_first - first).days) -}}
{%- endmacro %}
