{#- Publishes the marts Power BI reads as files, at the end of `dbt build`.

    Why not dbt-duckdb's `external` materialization: it writes each file while
    its model runs, before the tests, so a failing build would leave Power BI
    reading new files beside old ones. Here nothing is written unless every
    exported model was built in this invocation and every node passed. Each
    file is replaced atomically (written to a temporary file, then renamed),
    and the manifest, written last, names the reference date, the row count
    of every file and the build time. While files are being replaced the
    manifest says "publishing".

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
    {%- set folder = rfm_export_path() -%}
    {%- set formats = ['parquet', 'csv'] if rfm_flag('export_csv', false) else ['parquet'] -%}
    {%- set manifest_path = folder ~ '/rfm_export_manifest.json' -%}
    {%- do rfm_ensure_folder(folder) -%}
    {%- set reference = run_query("select cast(reference_date as varchar) from " ~ rfm_model_relation('int_rfm_reference_date')) -%}
    {%- set reference_date = reference.rows[0][0] if reference.rows else none -%}
    {%- set built_at = run_started_at.strftime('%Y-%m-%dT%H:%M:%SZ') -%}

    {%- do run_query(rfm_manifest_sql('publishing', reference_date, built_at, [], manifest_path)) -%}
    {%- set tables = [] -%}
    {%- for node in exports -%}
        {%- set relation = rfm_model_relation(node.name) -%}
        {%- set order_by = node.config.meta.powerbi_export.get('order_by', []) -%}
        {%- set query = "select * from " ~ relation ~ (" order by " ~ order_by | join(', ') if order_by else '') -%}
        {%- for format in formats -%}
            {%- set path = folder ~ '/' ~ node.alias ~ '.' ~ format -%}
            {%- do run_query("copy (" ~ query ~ ") to '" ~ path | replace("'", "''") ~ "' (format " ~ format
                ~ (", header true" if format == 'csv' else ", compression zstd")
                ~ ", use_tmp_file true)") -%}
        {%- endfor -%}
        {%- set counted = run_query("select count(*) from " ~ relation) -%}
        {%- do tables.append({'name': node.alias, 'row_count': counted.rows[0][0]}) -%}
    {%- endfor -%}
    {%- do run_query(rfm_manifest_sql('complete', reference_date, built_at, tables, manifest_path)) -%}
    {{ log("Exports: published " ~ tables | length ~ " tables (" ~ formats | join(' + ') ~ ") to '" ~ folder ~ "', manifest last.", info=true) }}
{%- endmacro %}


{% macro rfm_manifest_sql(status, reference_date, built_at, tables, path) -%}
    {%- set entries = [] -%}
    {%- for table in tables -%}
        {%- do entries.append("{'name': '" ~ table.name ~ "', 'file': '" ~ table.name ~ ".parquet', 'row_count': " ~ table.row_count ~ "}") -%}
    {%- endfor -%}
    copy (
        select
            '{{ status }}' as status,
            {{ "'" ~ reference_date ~ "'" if reference_date else 'null' }} as reference_date,
            '{{ built_at }}' as built_at,
            {{ rfm_score_bins() }} as rfm_score_bins,
            '{{ rfm_scoring_method() }}' as rfm_scoring_method,
            {{ '[' ~ entries | join(', ') ~ ']' if entries else 'cast([] as struct(name varchar, file varchar, row_count bigint)[])' }} as tables
    ) to '{{ path | replace("'", "''") }}' (format json, use_tmp_file true)
{%- endmacro %}


{% macro rfm_ensure_folder(folder) -%}
    {#- DuckDB cannot make a folder, but a per-thread write makes its target
        folder (one level; the parent must exist). It leaves an empty hidden
        file, so it runs only when the folder has no files yet. -#}
    {%- set listed = run_query("select count(*) from glob('" ~ folder | replace("'", "''") ~ "/*')") -%}
    {%- if listed.rows[0][0] == 0 -%}
        {%- do run_query("copy (select 1 as rfm_folder where false) to '" ~ folder | replace("'", "''")
            ~ "' (format csv, header false, per_thread_output true, overwrite_or_ignore true, filename_pattern '.rfm_export_folder')") -%}
    {%- endif -%}
{%- endmacro %}
