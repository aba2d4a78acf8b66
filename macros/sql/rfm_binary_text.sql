{#- Text compared byte by byte (code point order), whatever the database's
    collation. NTILE ties are broken by customer_id: under a linguistic
    collation (en_US: 'a' < 'B') PostgreSQL would order them differently
    from DuckDB and Spark, which compare bytes. -#}
{% macro rfm_binary_text(text) -%}
    {{ return(adapter.dispatch('rfm_binary_text', 'rfm_segmentation')(text)) }}
{%- endmacro %}

{% macro default__rfm_binary_text(text) -%}
    {{ text }}
{%- endmacro %}

{% macro postgres__rfm_binary_text(text) -%}
    ({{ text }} collate "C")
{%- endmacro %}
