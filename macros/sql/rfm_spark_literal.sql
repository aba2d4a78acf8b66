{#- A Python value from a seed as a Spark SQL literal. -#}
{% macro rfm_spark_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        {%- set text = value.isoformat(' ') if value.isoformat is defined and value.hour is defined
            else (value.isoformat() if value.isoformat is defined else value | string) -%}
        '{{ text | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
