{#- Where every input came from, as a SQL struct for the export manifest:
    {purchases: {...}, customers: {...}} (customers only when this run builds
    demographics from an input), each {kind, location, format, csv_options
    (JSON text: its keys vary), read_sql}. read_sql is the DuckDB table
    expression staging reads the raw input with (null for a warehouse table),
    so that `rfm check` can count the input rows again with the same read;
    its paths are as given, relative to the project root. -#}
{% macro rfm_manifest_inputs() -%}
    {%- set entries = [] -%}
    {%- for entity in rfm_input_entities() -%}
        {%- set input = rfm_input(entity, in_hook=true) -%}
        {%- if input.kind != 'none' and (entity != 'customers' or rfm_demographics_built()) -%}
            {%- do entries.append("'" ~ entity ~ "': {"
                ~ "'kind': " ~ rfm_sql_string(input.kind)
                ~ ", 'location': " ~ rfm_sql_string(input.location)
                ~ ", 'format': " ~ (rfm_sql_string(input.format) if input.format else 'cast(null as varchar)')
                ~ ", 'csv_options': " ~ rfm_sql_string(input.csv_options | tojson)
                ~ ", 'read_sql': " ~ (rfm_sql_string(input.read_sql) if input.read_sql else 'cast(null as varchar)')
                ~ "}") -%}
        {%- endif -%}
    {%- endfor -%}
    { {{- entries | join(', ') -}} }
{%- endmacro %}
