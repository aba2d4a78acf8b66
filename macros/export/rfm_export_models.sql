{% macro rfm_export_models() -%}
    {%- set exports = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name') -%}
        {%- set export = node.config.meta.get('powerbi_export') if node.resource_type == 'model' and node.package_name == project_name -%}
        {%- if export and (not export.get('when_var') or rfm_flag(export.when_var, false)) -%}
            {%- do exports.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(exports) -}}
{%- endmacro %}
