{#- A number of `data_type`: a decimal or integer input column (compared
    typed) is cast, null when it does not fit; text is parsed. -#}
{% macro rfm_typed_number(column, text, data_type) -%}
    {%- if column is none or column.type | upper in ['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE'] -%}
    {{ rfm_parse_number(text, data_type) }}
    {%- else -%}
    try_cast({{ column.alias }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
