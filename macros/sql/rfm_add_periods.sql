{#- A date plus a whole number of weeks, months or quarters, as a date.
    Months go through dbt's dateadd (add_months on Spark); PostgreSQL has no
    'quarter' interval, so a quarter is 3 months everywhere. -#}
{% macro rfm_add_periods(grain, periods, date) -%}
    {%- if grain == 'week' -%}
    {{ rfm_add_days('7 * (' ~ periods ~ ')', date) }}
    {%- else -%}
    cast({{ dbt.dateadd('month', ('3 * (' ~ periods ~ ')') if grain == 'quarter' else periods, date) }} as date)
    {%- endif -%}
{%- endmacro %}
