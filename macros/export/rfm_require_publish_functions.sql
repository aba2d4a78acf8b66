{% macro rfm_require_publish_functions() -%}
    {%- set found = run_query("select count(distinct function_name) from duckdb_functions() where function_name in ('rfm_start_build', 'rfm_publish_build')") -%}
    {%- if found.rows[0][0] < 2 -%}
        {{ exceptions.raise_compiler_error("Exports need the rfm_segmentation dbt-duckdb plugin, which this profile does not load. Add `plugins: [{module: rfm_segmentation.dbt_plugin}]` to the DuckDB output in profiles.yml (see the committed one), or set the var publish_exports to false.") }}
    {%- endif -%}
{%- endmacro %}
