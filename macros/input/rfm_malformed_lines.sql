{#- The body of stg_<entity>_malformed_lines: one row per malformed line of
    the entity's CSV files (<prefix>_path), with its file, line number, text
    and reason; an empty table for any other input.

    At execution each file is read once more with DuckDB's store_rejects (the
    read of rfm_csv_rows_sql, which skips these lines): DuckDB records each
    malformed record in temporary tables of this connection, named per input
    and file so that models on other threads never share them. A record that
    an unclosed quote stretched over the following lines stands for each of
    those lines (they were not read either), one row per line. The build log
    names the first malformed lines of each file, and the build stops when a
    file's share of malformed lines exceeds max_malformed_share. -#}
{% macro rfm_malformed_lines(entity) -%}
    {%- set input = rfm_input(entity) -%}
    {%- set reads = input.get('csv_file_reads') or [] -%}
    {%- set empty -%}
        select
            cast(null as {{ dbt.type_string() }}) as malformed_line_key,
            cast(null as {{ dbt.type_string() }}) as source_file,
            cast(null as {{ dbt.type_bigint() }}) as line_number,
            cast(null as {{ dbt.type_string() }}) as reject_reason,
            cast(null as {{ dbt.type_string() }}) as error_type,
            cast(null as {{ dbt.type_string() }}) as line_text
        where 1 = 0
    {%- endset -%}
    {#- Customer lines matter only when this run builds demographics. -#}
    {%- if not execute or not reads or (entity == 'customers' and not rfm_demographics_built()) -%}
        {{- return(empty) -}}
    {%- endif -%}
    {%- set max_share = rfm_max_malformed_share() -%}
    {%- set selects = [] -%}
    {%- for read in reads -%}
        {%- set rejects_table = 'rfm_rejects_' ~ entity ~ '_' ~ loop.index -%}
        {%- set rejects_scan = rejects_table ~ '_scan' -%}
        {%- do run_query("drop table if exists temp." ~ rejects_table) -%}
        {%- do run_query("drop table if exists temp." ~ rejects_scan) -%}
        {#- hash() over every column: each field must be decoded, so a bad
            byte is found as when staging reads the row. -#}
        {%- set column_list = [] -%}
        {%- for name in read.columns -%}{%- do column_list.append(adapter.quote(name)) -%}{%- endfor -%}
        {%- set good_rows = run_query("select count(*) filter (where hash(" ~ column_list | join(', ') ~ ") is not null) from read_csv("
            ~ rfm_sql_path(read.file) ~ ", " ~ read.options ~ ", store_rejects = true, rejects_table = '" ~ rejects_table
            ~ "', rejects_scan = '" ~ rejects_scan ~ "')").rows[0][0] -%}
        {%- set lines_sql = rfm_malformed_lines_of_file(read.file, rejects_table) -%}
        {%- set found = run_query("select line_number, error_type from (" ~ lines_sql ~ ") order by line_number").rows -%}
        {%- if found | length > 0 -%}
            {%- set total = good_rows + found | length -%}
            {%- set share = (found | length) / total -%}
            {%- set first = [] -%}
            {%- for row in found[:10] -%}{%- do first.append(row[0] ~ ' (' ~ row[1] | lower ~ ')') -%}{%- endfor -%}
            {%- set summary = (found | length) ~ " of " ~ total ~ " lines (" ~ '%.2f' | format(share * 100) ~ "%) of '" ~ read.file
                ~ "' are malformed; " ~ ("the first: " if found | length > 10 else "lines ") ~ first | join(', ') -%}
            {%- if share > max_share -%}
                {{ exceptions.raise_compiler_error(input.spec.vars_prefix ~ "_path: " ~ summary ~ ". That is more than max_malformed_share ("
                    ~ max_share ~ "): is the delimiter or the encoding wrong? Set " ~ input.spec.vars_prefix
                    ~ "_csv_options (e.g. {delim: ';', encoding: latin-1}), fix the file, or raise max_malformed_share.") }}
            {%- endif -%}
            {{ log(entity | capitalize ~ ": " ~ summary ~ " (quarantined in stg_" ~ entity ~ "_malformed_lines"
                ~ (" and fct_purchases_rejected" if entity == 'purchases' else '') ~ ")", info=true) }}
        {%- endif -%}
        {%- do selects.append(lines_sql) -%}
    {%- endfor -%}
    {{- return(selects | join('\nunion all\n')) -}}
{%- endmacro %}
