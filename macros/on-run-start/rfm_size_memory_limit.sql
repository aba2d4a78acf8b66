{#- on-run-start: DuckDB's memory_limit from the size of the purchase input
    (1GB per 12.5M lines, at least 1GB, at most half the machine's memory;
    python/rfm_segmentation/memory.py), set
    through the dbt plugin unless RFM_DUCKDB_MEMORY_LIMIT fixes it. Lines are
    read from the Parquet footers, estimated from a CSV file's size, or
    counted in a warehouse table; the sample needs nothing. -#}
{% macro rfm_size_memory_limit() -%}
    {%- if not execute or target.type != 'duckdb' or flags.WHICH not in ['build', 'run', 'test'] -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set plugin = run_query("select count(*) from duckdb_functions() where function_name = 'rfm_memory_limit_for'") -%}
    {%- if plugin.rows[0][0] == 0 -%}
        {{- return('') -}}  {#- a profile without the plugin keeps its own settings -#}
    {%- endif -%}
    {%- set input = rfm_input('purchases', in_hook=true) -%}
    {%- if input.kind == 'file' and input.format == 'parquet' -%}
        {%- set lines_sql = "select sum(num_rows) from parquet_file_metadata(" ~ rfm_sql_string(input.location) ~ ")" -%}
    {%- elif input.kind == 'file' -%}
        {#- Estimated from the size (counting would read the file once more):
            64 bytes a line, as the generator's lines are 60 to 70 bytes. -#}
        {%- set lines_sql = "select sum(size) // 64 from read_blob(" ~ rfm_sql_string(input.location) ~ ")" -%}
    {%- elif input.kind == 'warehouse_table' -%}
        {%- set lines_sql = "select count(*) from " ~ input.relation -%}
    {%- else -%}
        {%- set lines_sql = "select 0" -%}
    {%- endif -%}
    {%- set lines = run_query(lines_sql).rows[0][0] or 0 -%}
    {%- set limit = run_query("select rfm_memory_limit_for(" ~ lines ~ ")").rows[0][0] -%}
    {%- if limit -%}
        {%- do run_query("set memory_limit = '" ~ limit ~ "'") -%}
        {{ log("DuckDB memory_limit " ~ limit ~ " for about " ~ "{:,}".format(lines | int) ~ " purchase lines (1GB per 12.5M, at most half the machine's memory; RFM_DUCKDB_MEMORY_LIMIT overrides it).", info=true) }}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}
