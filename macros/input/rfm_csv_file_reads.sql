{#- How to read each CSV file of <prefix>_path so that a malformed line is
    set aside instead of stopping the read (issue 18). Runs at execution only.

    DuckDB's sniffer gives up, or guesses a wrong quote, on a file with broken
    lines, so the dialect comes from the header line instead: its delimiter is
    the most frequent of , ; tab | in the header (the var <prefix>_csv_options
    overrides delim, quote, escape and encoding); the quote and escape are '"'.
    The header's names become explicit text columns, so each line either has
    exactly those fields or is a malformed line, never a reshaped table.

    Returns one {file, options (the read_csv options after the path, without
    the error handling), columns (header names)} per file, in file-name order:
    every file of a glob keeps its own header and line numbers. -#}
{% macro rfm_csv_file_reads(spec, path) -%}
    {%- set options_var = spec.vars_prefix ~ '_csv_options' -%}
    {%- set user_options = {} -%}
    {%- for key, value in (var(options_var, {}) or {}).items() -%}
        {%- do user_options.update({key | lower: value}) -%}
    {%- endfor -%}
    {#- Validates the var (options the project sets are refused). -#}
    {%- do rfm_csv_options(spec) -%}
    {%- set files = run_query("select file from glob('" ~ path | replace("'", "''") ~ "') order by file").columns[0].values() -%}
    {%- if files | length == 0 -%}
        {{ rfm_config_error(spec.vars_prefix ~ '_path', "no file matches '" ~ path ~ "' (relative paths are resolved from the directory dbt runs in)") }}
    {%- endif -%}
    {%- set reads = [] -%}
    {%- for file in files -%}
        {%- set header = rfm_csv_header_line(file, user_options.get('encoding')) -%}
        {%- if header is none or header.strip() == '' -%}
            {{ rfm_config_error(spec.vars_prefix ~ '_path', "'" ~ file ~ "' is empty or its first line is blank: the first line must name the columns") }}
        {%- endif -%}
        {%- set delimiter = user_options.get('delim', user_options.get('sep', user_options.get('delimiter'))) or rfm_header_delimiter(header) -%}
        {%- set quote = user_options.get('quote', '"') -%}
        {%- set names = rfm_split_header(header, delimiter, quote) -%}
        {%- set columns_sql = [] -%}
        {%- for name in names -%}
            {%- do columns_sql.append("'" ~ name | replace("'", "''") ~ "': 'VARCHAR'") -%}
        {%- endfor -%}
        {#- delim, quote and escape are set here; any other option of the var is added after. -#}
        {%- set dialect = [] -%}
        {%- for key in ['delim', 'quote', 'escape'] -%}
            {%- set value = {'delim': delimiter, 'quote': quote, 'escape': user_options.get('escape', quote)}[key] -%}
            {%- do dialect.append(key ~ " = '" ~ value | string | replace("'", "''") ~ "'") -%}
        {%- endfor -%}
        {%- set other = [] -%}
        {%- for key, value in user_options.items() | sort if key not in ['delim', 'sep', 'delimiter', 'quote', 'escape'] -%}
            {%- do other.append(key ~ " = " ~ (value | string | lower if value is boolean or value is number
                                             else "'" ~ value | string | replace("'", "''") ~ "'")) -%}
        {%- endfor -%}
        {%- set options = "header = true, auto_detect = false, columns = {" ~ columns_sql | join(', ') ~ "}, " ~ (dialect + other) | join(', ') -%}
        {%- do reads.append({'file': file, 'options': options, 'columns': names}) -%}
    {%- endfor -%}
    {{- return(reads) -}}
{%- endmacro %}
