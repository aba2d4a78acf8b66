{% macro rfm_sql_path(path) -%}
    {{- return("'" ~ path | replace("'", "''") ~ "'") -}}
{%- endmacro %}
