{#- Publishes the marts Power BI reads as files, at the end of `dbt build`.

    Why not dbt-duckdb's `external` materialization: it writes each file while
    its model runs, before the tests, so a failing build would leave Power BI
    reading new files beside old ones. Here nothing is written unless every
    exported model was built in this invocation and every node passed. All
    files are first written to a staging folder, then moved into the export
    folder (one atomic rename each, by the rfm_segmentation dbt-duckdb plugin)
    with the manifest last: it names the reference date, the row count of
    every file and the build time.

    Models are exported when their YAML has `meta: {powerbi_export: {order_by: [...]}}`;
    rows are written in that order so that the same data gives the same bytes. -#}

{% macro rfm_publish_exports(results) -%}
    {%- if not execute or flags.WHICH != 'build' -%}{{ return('') }}{%- endif -%}
    {%- if not rfm_flag('publish_exports', true) -%}
        {{ log("Exports: not published (publish_exports is false).", info=true) }}
        {{ return('') }}
    {%- endif -%}
    {%- if target.type != 'duckdb' -%}
        {{ log("Exports: file exports need the DuckDB target; on " ~ target.type ~ " the marts stay tables for Power BI to read directly.", info=true) }}
        {{ return('') }}
    {%- endif -%}

    {%- set exports = rfm_export_models() -%}
    {%- set statuses = {} -%}
    {%- set failed = [] -%}
    {%- set skipped = [] -%}
    {%- for result in results -%}
        {%- set status = result.status | string -%}
        {%- do statuses.update({result.node.unique_id: status}) -%}
        {%- if status in ['error', 'fail', 'runtime error'] -%}
            {%- do failed.append(result.node.name) -%}
        {%- elif status == 'skipped' -%}
            {%- do skipped.append(result.node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set not_built = [] -%}
    {%- for node in exports if statuses.get(node.unique_id) != 'success' -%}
        {%- do not_built.append(node.name) -%}
    {%- endfor -%}
    {%- if failed or skipped or not_built -%}
        {%- set reasons = [] -%}
        {%- if failed %}{% do reasons.append(failed | length ~ ' failed (' ~ failed[:5] | join(', ') ~ (', ...' if failed | length > 5 else '') ~ ')') %}{% endif -%}
        {%- if skipped %}{% do reasons.append(skipped | length ~ ' skipped') %}{% endif -%}
        {%- if not_built %}{% do reasons.append('not built by this run: ' ~ not_built | join(', ')) %}{% endif -%}
        {{ log("Exports: NOT published; the files in '" ~ rfm_export_path() ~ "' are unchanged. " ~ reasons | join('; ') ~ ".", info=true) }}
        {{ return('') }}
    {%- endif -%}

    {%- do rfm_write_exports(exports) -%}
    {{- return('') -}}
{%- endmacro %}


{% macro rfm_export_models() -%}
    {%- set exports = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name') -%}
        {%- if node.resource_type == 'model' and node.package_name == project_name
                and node.config.meta.get('powerbi_export') -%}
            {%- do exports.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(exports) -}}
{%- endmacro %}


{% macro rfm_model_relation(name) -%}
    {#- ref() is not available in hooks: find the model in the graph. -#}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == name and node.package_name == project_name -%}
        {{- return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) -}}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("Model '" ~ name ~ "' not found") }}
{%- endmacro %}


{% macro rfm_write_exports(exports) -%}
    {%- do rfm_require_publish_functions() -%}
    {%- set folder = rfm_export_path() -%}
    {%- set staging = folder ~ '/.publishing-' ~ invocation_id -%}
    {%- set formats = ['parquet', 'csv'] if rfm_flag('export_csv', false) else ['parquet'] -%}
    {%- do run_query("select rfm_remove_stale_staging(" ~ rfm_sql_string(folder) ~ ")") -%}
    {%- do run_query("select rfm_make_folder(" ~ rfm_sql_string(staging) ~ ")") -%}

    {%- set tables = [] -%}
    {%- for node in exports -%}
        {%- set relation = rfm_model_relation(node.name) -%}
        {%- set order_by = node.config.meta.powerbi_export.get('order_by', []) -%}
        {%- set query = "select * from " ~ relation ~ (" order by " ~ order_by | join(', ') if order_by else '') -%}
        {%- for format in formats -%}
            {%- do run_query("copy (" ~ query ~ ") to " ~ rfm_sql_string(staging ~ '/' ~ node.alias ~ '.' ~ format)
                ~ " (format " ~ format ~ (", header true" if format == 'csv' else ", compression " ~ rfm_export_parquet_compression()) ~ ")") -%}
        {%- endfor -%}
        {%- set counted = run_query("select count(*) from " ~ relation) -%}
        {%- do tables.append({'name': node.alias, 'row_count': counted.rows[0][0]}) -%}
    {%- endfor -%}
    {%- do run_query(rfm_manifest_sql(tables, staging ~ '/rfm_export_manifest.json')) -%}

    {%- set published = run_query("select rfm_publish_folder(" ~ rfm_sql_string(staging) ~ ", " ~ rfm_sql_string(folder) ~ ")") -%}
    {{ log("Exports: published " ~ tables | length ~ " tables (" ~ formats | join(' + ') ~ ", "
        ~ published.rows[0][0] ~ " files) to '" ~ folder ~ "', manifest last.", info=true) }}
{%- endmacro %}


{% macro rfm_require_publish_functions() -%}
    {%- set found = run_query("select count(distinct function_name) from duckdb_functions() where function_name in ('rfm_make_folder', 'rfm_publish_folder', 'rfm_remove_stale_staging')") -%}
    {%- if found.rows[0][0] < 3 -%}
        {{ exceptions.raise_compiler_error("Exports need the rfm_segmentation dbt-duckdb plugin, which this profile does not load. Add `plugins: [{module: rfm_segmentation.dbt_plugin}]` to the DuckDB output in profiles.yml (see the committed one), or set the var publish_exports to false.") }}
    {%- endif -%}
{%- endmacro %}


{% macro rfm_sql_string(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}


{% macro rfm_manifest_sql(tables, path) -%}
    {%- set reference = run_query("select cast(reference_date as varchar) from " ~ rfm_model_relation('int_rfm_reference_date')) -%}
    {%- set entries = [] -%}
    {%- for table in tables -%}
        {%- do entries.append("{'name': '" ~ table.name ~ "', 'file': '" ~ table.name ~ ".parquet', 'row_count': " ~ table.row_count ~ "}") -%}
    {%- endfor -%}
    copy (
        select
            {{ rfm_sql_string(reference.rows[0][0]) }} as reference_date,
            '{{ run_started_at.strftime('%Y-%m-%dT%H:%M:%SZ') }}' as built_at,
            '{{ invocation_id }}' as dbt_invocation_id,
            {{ rfm_score_bins() }} as rfm_score_bins,
            '{{ rfm_scoring_method() }}' as rfm_scoring_method,
            '{{ rfm_returns_handling() }}' as returns_handling,
            '{{ rfm_business_time_zone() }}' as business_time_zone,
            {{ rfm_manifest_input() }} as purchases_input,
            [{{ entries | join(', ') }}] as tables
    ) to {{ rfm_sql_string(path) }} (format json)
{%- endmacro %}


{% macro rfm_manifest_input() -%}
    {#- Where the purchases came from, so that `rfm check` can count the input
        rows again. From the vars: source() and ref() do not work in hooks. -#}
    {%- set path = var('purchases_path', none) -%}
    {%- set table = var('purchases_source_table', none) -%}
    {%- if path -%}
        {%- set input = {'kind': 'file', 'location': path, 'format': rfm_purchases_format(path),
                         'csv_options': var('purchases_csv_options', {}) or {}} -%}
    {%- elif table -%}
        {%- set input = {'kind': 'warehouse_table', 'location': (var('purchases_source_schema', none) or target.schema) ~ '.' ~ table,
                         'format': none, 'csv_options': {}} -%}
    {%- else -%}
        {%- set input = {'kind': 'sample_seed', 'location': 'seeds/sample_purchases.csv', 'format': 'csv', 'csv_options': {}} -%}
    {%- endif -%}
    {#- csv_options travels as JSON text: its keys vary. -#}
    {'kind': {{ rfm_sql_string(input.kind) }}, 'location': {{ rfm_sql_string(input.location) }},
     'format': {{ rfm_sql_string(input.format) if input.format else 'null' }}, 'csv_options': {{ rfm_sql_string(input.csv_options | tojson) }}}
{%- endmacro %}
