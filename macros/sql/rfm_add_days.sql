{#- A date plus a whole number of days, as a date. dbt's dateadd returns a
    timestamp and, on Spark, goes through Unix seconds in the session time
    zone: date_add is exact there (and much cheaper over a million rows). -#}
{% macro rfm_add_days(days, date) -%}
    {{ return(adapter.dispatch('rfm_add_days', 'rfm_segmentation')(days, date)) }}
{%- endmacro %}

{% macro default__rfm_add_days(days, date) -%}
    cast({{ dbt.dateadd('day', days, date) }} as date)
{%- endmacro %}

{% macro spark__rfm_add_days(days, date) -%}
    date_add({{ date }}, {{ days }})
{%- endmacro %}
