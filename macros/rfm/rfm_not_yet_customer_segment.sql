{#- rpt_segment_transitions: the state of a customer before a first purchase. -#}
{% macro rfm_not_yet_customer_segment() -%}
    'Not yet a customer'
{%- endmacro %}
