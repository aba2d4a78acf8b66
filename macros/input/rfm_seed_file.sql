{#- A seed's CSV file, relative to the project root, read from the graph
    (where dbt found it) rather than rebuilt from seed-paths. -#}
{% macro rfm_seed_file(seed_name) -%}
    {%- for node in graph.get('nodes', {}).values() if node.resource_type == 'seed' and node.name == seed_name and node.package_name == project_name -%}
        {{- return(node.original_file_path) -}}
    {%- endfor -%}
    {#- At parse time the graph is still empty; the path is not used then. -#}
    {{- return('seeds/' ~ seed_name ~ '.csv') -}}
{%- endmacro %}
