{#- Run start: resolve one input and check its columns against its
    <prefix>_columns mapping (a file must exist, a table must be found). -#}
{% macro rfm_check_input(entity) -%}
    {%- set input = rfm_input(entity, in_hook=true) -%}
    {%- if input.kind in ['file', 'warehouse_table'] -%}
        {%- do rfm_input_column_map(input) -%}
    {%- endif -%}
    {{- return(input) -}}
{%- endmacro %}
