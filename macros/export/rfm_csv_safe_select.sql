{#- The select list of a CSV export: text cells that a spreadsheet would run as
    a formula (starting with =, +, -, @, tab or carriage return: OWASP's CSV
    injection list, CWE-1236) get a leading single quote, so Excel shows them
    as text. Only the CSV files: the Parquet files keep the exact values. -#}
{% macro rfm_csv_safe_select(relation, alias) -%}
    {%- set expressions = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- set quoted = adapter.quote(column.name) -%}
        {%- if column.is_string() -%}
            {%- do expressions.append("case when left(" ~ alias ~ "." ~ quoted ~ ", 1) in ('=', '+', '-', '@', chr(9), chr(13)) "
                ~ "then '''' || " ~ alias ~ "." ~ quoted ~ " else " ~ alias ~ "." ~ quoted ~ " end as " ~ quoted) -%}
        {%- else -%}
            {%- do expressions.append(alias ~ "." ~ quoted) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(expressions | join(', ')) -}}
{%- endmacro %}
