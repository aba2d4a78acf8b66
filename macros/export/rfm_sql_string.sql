{% macro rfm_sql_string(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}
