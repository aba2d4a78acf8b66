{% macro rfm_history_grain() -%}
    {{- return(rfm_choice('rfm_history_grain', ['month', 'quarter', 'week'], 'month')) -}}
{%- endmacro %}
