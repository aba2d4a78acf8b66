{#- True when the whole text matches a regular expression. -#}
{% macro rfm_regexp_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('rfm_regexp_full_match', 'rfm_segmentation')(text, pattern)) }}
{%- endmacro %}

{% macro default__rfm_regexp_full_match(text, pattern) -%}
    ({{ text }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__rfm_regexp_full_match(text, pattern) -%}
    regexp_full_match({{ text }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__rfm_regexp_full_match(text, pattern) -%}
    ({{ text }} rlike '{{ pattern }}')
{%- endmacro %}
