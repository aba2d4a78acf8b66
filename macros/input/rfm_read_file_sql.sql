{#- The DuckDB table expression that reads an input file or glob. CSV is read
    all_varchar: every value arrives as text, so a bad value becomes a
    rejected row with a reason instead of a failed type cast. Columns are
    matched by name across the files of a glob. -#}
{% macro rfm_read_file_sql(path, format, csv_options_sql='') -%}
    {%- set quoted = "'" ~ path | replace("'", "''") ~ "'" -%}
    {%- if format == 'csv' -%}
        {{- return("read_csv(" ~ quoted ~ ", header = true, all_varchar = true, union_by_name = true" ~ csv_options_sql ~ ")") -}}
    {%- elif format == 'parquet' -%}
        {{- return("read_parquet(" ~ quoted ~ ", union_by_name = true)") -}}
    {%- endif -%}
    {{ exceptions.raise_compiler_error("rfm_read_file_sql: unknown format '" ~ format ~ "'") }}
{%- endmacro %}
