{#- True when the user names a file or a warehouse table for this input (not the sample). -#}
{% macro rfm_input_is_configured(entity) -%}
    {%- set prefix = rfm_input_spec(entity).vars_prefix -%}
    {{- return(true if (var(prefix ~ '_path', none) or var(prefix ~ '_source_table', none)) else false) -}}
{%- endmacro %}
