{#- Where one input comes from, resolved from its vars: a file or glob read by
    DuckDB (<prefix>_path), a warehouse table (<prefix>_source_table, declared
    as a dbt source) or the sample seed; kind 'none' when there is nothing to
    read (demographics not given for your own purchases).

    Returns {entity, spec, kind ('file' | 'warehouse_table' | 'sample_seed' |
    'none'), label, relation (what goes after FROM, or none), location, format
    ('csv' | 'parquet' | none), csv_options (the var's mapping), read_sql (the
    DuckDB table expression that reads the raw file, or none; for a CSV file
    at execution, one row per input line, malformed ones included, so that
    `rfm check` counts what the reconciliation calls input lines),
    csv_file_reads (CSV files at execution: rfm_csv_file_reads)}.

    in_hook: hooks have no source() or ref(), so a warehouse table is looked up
    directly (and must exist) and the sample seed has no relation (it may not
    be loaded yet); read_sql is the same in both. -#}
{% macro rfm_input(entity, in_hook=false) -%}
    {%- set spec = rfm_input_spec(entity) -%}
    {%- set prefix = spec.vars_prefix -%}
    {%- set path = var(prefix ~ '_path', none) -%}
    {%- set table = var(prefix ~ '_source_table', none) -%}
    {%- set input = {'entity': entity, 'spec': spec, 'relation': none, 'format': none, 'csv_options': {}, 'read_sql': none} -%}
    {%- if path and table -%}
        {{ rfm_config_error(prefix ~ '_path', "set either " ~ prefix ~ "_path (a file) or " ~ prefix ~ "_source_table (a warehouse table), not both") }}
    {%- endif -%}

    {%- if path -%}
        {%- if path is not string -%}
            {{ rfm_config_error(prefix ~ '_path', "expected a file path or glob, got " ~ (path | tojson)) }}
        {%- endif -%}
        {%- if target.type != 'duckdb' -%}
            {{ rfm_config_error(prefix ~ '_path', "reading files directly needs the DuckDB target (this is '" ~ target.type ~ "'); load the file into a table and set " ~ prefix ~ "_source_table") }}
        {%- endif -%}
        {%- set format = rfm_input_format(spec, path) -%}
        {%- set read_sql = rfm_read_file_sql(path, format, rfm_csv_options(spec) if format == 'csv' else '') -%}
        {%- set relation = read_sql -%}
        {%- if format == 'csv' and execute -%}
            {#- Malformed lines are skipped here and kept by the model
                stg_<entity>_malformed_lines; read_sql counts every line. -#}
            {%- set reads = rfm_csv_file_reads(spec, path) -%}
            {%- set relation = rfm_csv_rows_sql(reads) -%}
            {%- set read_sql = rfm_csv_lines_sql(reads) -%}
            {%- do input.update({'csv_file_reads': reads}) -%}
        {%- endif -%}
        {%- do input.update({'kind': 'file', 'label': prefix ~ "_path '" ~ path ~ "'", 'location': path, 'format': format,
                             'csv_options': var(prefix ~ '_csv_options', {}) or {}, 'read_sql': read_sql, 'relation': relation}) -%}

    {%- elif table -%}
        {%- set schema = var(prefix ~ '_source_schema', none) or target.schema -%}
        {%- do input.update({'kind': 'warehouse_table', 'label': prefix ~ "_source_table '" ~ table ~ "'", 'location': schema ~ '.' ~ table}) -%}
        {%- if not in_hook -%}
            {%- do input.update({'relation': source(spec.source[0], spec.source[1])}) -%}
        {%- elif execute -%}
            {%- set relation = adapter.get_relation(database=target.database, schema=schema, identifier=table) -%}
            {%- if relation is none -%}
                {{ rfm_config_error(prefix ~ '_source_table', "table '" ~ table ~ "' not found in schema '" ~ schema ~ "' (set " ~ prefix ~ "_source_schema if it lives elsewhere)") }}
            {%- endif -%}
            {%- do input.update({'relation': relation}) -%}
        {%- endif -%}

    {%- elif spec.seed_needs_sample_of and rfm_input_is_configured(spec.seed_needs_sample_of) -%}
        {%- do input.update({'kind': 'none', 'label': 'no ' ~ entity ~ ' input (set ' ~ prefix ~ '_path or ' ~ prefix ~ '_source_table)', 'location': none}) -%}

    {%- else -%}
        {#- The seed's file is read as the seed is: text, by column name. -#}
        {%- set seed_file = rfm_seed_file(spec.seed) -%}
        {%- do input.update({'kind': 'sample_seed', 'label': "the sample seed '" ~ spec.seed ~ "'", 'location': seed_file,
                             'format': 'csv', 'read_sql': rfm_read_file_sql(seed_file, 'csv', '')}) -%}
        {%- if not in_hook -%}
            {%- do input.update({'relation': ref(spec.seed)}) -%}
        {%- endif -%}
    {%- endif -%}
    {{- return(input) -}}
{%- endmacro %}
