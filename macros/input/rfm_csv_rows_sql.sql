{#- The good rows of the CSV files (rfm_csv_file_reads), matched by column
    name: a malformed line is skipped here, and kept with its line number by
    rfm_malformed_lines (the same read with store_rejects, so both agree on
    which lines are malformed). -#}
{% macro rfm_csv_rows_sql(reads) -%}
    {%- set selects = [] -%}
    {%- for read in reads -%}
        {%- do selects.append("select * from read_csv(" ~ rfm_sql_path(read.file) ~ ", " ~ read.options ~ ", ignore_errors = true)") -%}
    {%- endfor -%}
    {{- return("(" ~ selects | join(" union all by name ") ~ ")") -}}
{%- endmacro %}
