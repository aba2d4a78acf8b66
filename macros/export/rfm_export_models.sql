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
