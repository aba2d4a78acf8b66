{#- A delimiter no text file has (DuckDB takes up to 4 bytes): one field per line. -#}
{% macro rfm_no_delimiter() -%}{{ return('\\x1f') }}{%- endmacro %}
