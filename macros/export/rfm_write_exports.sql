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
                ~ " (format " ~ format ~ (", header true" if format == 'csv' else ", compression zstd") ~ ")") -%}
        {%- endfor -%}
        {%- set counted = run_query("select count(*) from " ~ relation) -%}
        {%- do tables.append({'name': node.alias, 'row_count': counted.rows[0][0]}) -%}
    {%- endfor -%}
    {%- do run_query(rfm_manifest_sql(tables, staging ~ '/rfm_export_manifest.json')) -%}

    {%- set published = run_query("select rfm_publish_folder(" ~ rfm_sql_string(staging) ~ ", " ~ rfm_sql_string(folder) ~ ")") -%}
    {{ log("Exports: published " ~ tables | length ~ " tables (" ~ formats | join(' + ') ~ ", "
        ~ published.rows[0][0] ~ " files) to '" ~ folder ~ "', manifest last.", info=true) }}
{%- endmacro %}
