{% macro rfm_csv_first_line(file, encoding, skip_errors) -%}
    {%- set sql = "select line from read_csv('" ~ file | replace("'", "''") ~ "', header = false, auto_detect = false, "
        ~ "columns = {'line': 'VARCHAR'}, delim = '" ~ rfm_no_delimiter() ~ "', quote = '', escape = '', strict_mode = false, "
        ~ "encoding = '" ~ encoding | replace("'", "''") ~ "'" ~ (", ignore_errors = true" if skip_errors else '') ~ ") limit 1" -%}
    {%- set rows = run_query(sql).rows -%}
    {%- if rows | length == 0 or rows[0][0] is none -%}{{ return(none) }}{%- endif -%}
    {{- return(rows[0][0].lstrip('\ufeff').rstrip('\r')) -}}
{%- endmacro %}
