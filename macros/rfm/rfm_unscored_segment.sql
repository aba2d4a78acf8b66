{#- The segment of customers that are not scored (net spend <= 0). -#}
{% macro rfm_unscored_segment() -%}
    'No Net Spend'
{%- endmacro %}
