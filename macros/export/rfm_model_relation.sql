{% macro rfm_model_relation(name) -%}
    {#- ref() is not available in hooks: find the model in the graph. -#}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == name and node.package_name == project_name -%}
        {{- return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) -}}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("Model '" ~ name ~ "' not found") }}
{%- endmacro %}
