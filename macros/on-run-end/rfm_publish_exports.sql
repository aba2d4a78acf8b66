{#- Publishes the marts Power BI reads as files, at the end of `dbt build`.

    Why not dbt-duckdb's `external` materialization: it writes each file while
    its model runs, before the tests, so a failing build would leave Power BI
    reading new files beside old ones. Here nothing is written unless every
    exported model was built in this invocation and every node passed. All
    files are written into a new build folder, `<export_path>/builds/<build id>/`,
    its manifest last (the reference date, the row count of every file, the
    build time); then one atomic write of the pointer,
    `<export_path>/rfm_export_manifest.json`, makes that build current, and
    old builds beyond `export_keep_builds` are removed (rfm_segmentation.publish,
    called through the dbt-duckdb plugin). Files are never overwritten in place.

    Models are exported when their YAML has `meta: {powerbi_export: {order_by: [...]}}`;
    rows are written in that order so that the same data gives the same bytes.
    `when_var: <var>` in it exports the model only when that var is true
    (fct_customer_rfm_history: export_rfm_history). -#}
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
