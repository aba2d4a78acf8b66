{#- An input's real columns as a list of {name, type}, read at execution; a
    file pattern that matches nothing, or a table that does not exist, stops
    the run naming the var. -#}
{% macro rfm_input_columns(input) -%}
    {%- set prefix = input.spec.vars_prefix -%}
    {%- set columns = [] -%}
    {%- if input.kind == 'file' -%}
        {%- set found = run_query("select count(*) from glob('" ~ input.location | replace("'", "''") ~ "')") -%}
        {%- if found.rows[0][0] == 0 -%}
            {{ rfm_config_error(prefix ~ '_path', "no file matches '" ~ input.location ~ "' (relative paths are resolved from the directory dbt runs in)") }}
        {%- endif -%}
        {%- for row in run_query("describe select * from " ~ input.relation).rows -%}
            {%- do columns.append({'name': row[0], 'type': row[1] | upper}) -%}
        {%- endfor -%}
    {%- else -%}
        {%- for column in adapter.get_columns_in_relation(input.relation) -%}
            {%- do columns.append({'name': column.name, 'type': column.dtype | upper}) -%}
        {%- endfor -%}
        {%- if columns | length == 0 -%}
            {{ rfm_config_error(prefix ~ '_source_table', input.label ~ " does not exist or has no columns (" ~ input.relation ~ ")") }}
        {%- endif -%}
    {%- endif -%}
    {{- return(columns) -}}
{%- endmacro %}
