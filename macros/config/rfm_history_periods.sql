{% macro rfm_history_periods() -%}
    {#- 0 turns the history (fct_customer_rfm_history and its reports) off. -#}
    {{- return(rfm_whole_number('rfm_history_periods', var('rfm_history_periods', 12), 0, 260, 'a whole number of periods from 0 (no history) to 260')) -}}
{%- endmacro %}
