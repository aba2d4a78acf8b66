{#- rpt_segment_transitions: the state of a customer who bought before, but
    not within rfm_lookback_days of the period end (so is not scored there). -#}
{% macro rfm_outside_lookback_segment() -%}
    'Outside lookback window'
{%- endmacro %}
