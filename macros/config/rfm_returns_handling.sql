{% macro rfm_returns_handling() -%}
    {{- return(rfm_choice('returns_handling', ['net', 'exclude'], 'net')) -}}
{%- endmacro %}
