{% macro rfm_write_exports(exports) -%}
    {%- do rfm_require_publish_functions() -%}
    {%- set folder = rfm_export_path() -%}
    {#- The new build's folder: nobody reads it until the pointer names it. -#}
    {%- set build_id = run_query("select rfm_start_build(" ~ rfm_sql_string(folder) ~ ", '" ~ invocation_id ~ "')").rows[0][0] -%}
    {%- set staging = folder ~ '/builds/' ~ build_id -%}
    {%- set formats = ['parquet', 'csv'] if rfm_flag('export_csv', false) else ['parquet'] -%}

    {%- set tables = [] -%}
    {%- for node in exports -%}
        {%- set relation = rfm_model_relation(node.name) -%}
        {%- set order_by = node.config.meta.powerbi_export.get('order_by', []) -%}
        {%- set ordering = (" order by exported." ~ order_by | join(', exported.') if order_by else '') -%}
        {%- for format in formats -%}
            {#- Issue 13: formulas are neutralised in the CSV files only. -#}
            {%- set query = "select " ~ (rfm_csv_safe_select(relation, 'exported') if format == 'csv' else '*')
                ~ " from " ~ relation ~ " as exported" ~ ordering -%}
            {%- do run_query("copy (" ~ query ~ ") to " ~ rfm_sql_string(staging ~ '/' ~ node.alias ~ '.' ~ format)
                ~ " (format " ~ format ~ (", header true" if format == 'csv' else ", compression " ~ rfm_export_parquet_compression()) ~ ")") -%}
        {%- endfor -%}
        {%- set counted = run_query("select count(*) from " ~ relation) -%}
        {%- do tables.append({'name': node.alias, 'row_count': counted.rows[0][0]}) -%}
    {%- endfor -%}
    {%- do run_query(rfm_manifest_sql(tables, staging ~ '/rfm_export_manifest.json', build_id)) -%}
    {#- The HTML report of the same files, inside the build, before it becomes current. -#}
    {%- if rfm_flag('publish_report', true) -%}
        {%- set report_problem = run_query("select rfm_write_report(" ~ rfm_sql_string(staging) ~ ")").rows[0][0] -%}
        {%- if report_problem -%}{{ log("Exports: warning: " ~ report_problem, info=true) }}{%- endif -%}
    {%- endif -%}

    {%- set outcome = fromjson(run_query("select rfm_publish_build(" ~ rfm_sql_string(folder) ~ ", '" ~ build_id ~ "', "
        ~ rfm_export_keep_builds() ~ ")").rows[0][0]) -%}
    {%- for warning in outcome.warnings -%}
        {{ log("Exports: warning: " ~ warning, info=true) }}
    {%- endfor -%}
    {%- if outcome.error -%}
        {{ exceptions.raise_compiler_error("Exports: NOT published: " ~ outcome.error) }}
    {%- endif -%}
    {{ log("Exports: published " ~ tables | length ~ " tables (" ~ formats | join(' + ') ~ ") as build " ~ build_id
        ~ " in '" ~ staging ~ "'; it is current (" ~ folder ~ "/rfm_export_manifest.json)"
        ~ (", the previous build " ~ outcome.previous_build_id ~ " is kept" if outcome.previous_build_id else "")
        ~ (", removed " ~ outcome.removed | length ~ " older build(s)" if outcome.removed else "") ~ ".", info=true) }}
{%- endmacro %}
