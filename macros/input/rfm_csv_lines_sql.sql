{#- One row per input line of the CSV files: every non-blank line after each
    file's header, read as plain text, so a malformed line or a byte that is
    not UTF-8 counts as one line too. This is what the reconciliation calls
    input lines (accepted + rejected + duplicates); `rfm check` counts it. A
    quoted value with a line break in it spans two lines here but is one row
    in the build: such files do not reconcile line for line (README). -#}
{% macro rfm_csv_lines_sql(reads) -%}
    {%- set selects = [] -%}
    {%- for read in reads -%}
        {%- set encoding = modules.re.search("encoding = '([^']*)'", read.options) -%}
        {%- do selects.append("select line from read_csv(" ~ rfm_sql_path(read.file) ~ ", header = true, auto_detect = false, "
            ~ "columns = {'line': 'VARCHAR'}, delim = '" ~ rfm_no_delimiter() ~ "', quote = '', escape = '', strict_mode = false, "
            ~ "encoding = '" ~ (encoding.group(1) if encoding else 'latin-1') ~ "') where trim(line) <> ''") -%}
    {%- endfor -%}
    {{- return("(" ~ selects | join(" union all ") ~ ")") -}}
{%- endmacro %}
