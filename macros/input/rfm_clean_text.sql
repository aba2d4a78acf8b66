{#- Trimmed text, with blanks turned into null. -#}
{% macro rfm_clean_text(text) -%}
    nullif(trim({{ text }}), '')
{%- endmacro %}
