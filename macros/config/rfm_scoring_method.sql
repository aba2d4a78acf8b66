{% macro rfm_scoring_method() -%}
    {{- return(rfm_choice('rfm_scoring_method', ['ntile', 'percent_rank'], 'ntile')) -}}
{%- endmacro %}
