{#- The purchase time of one row: a date or timestamp input column (compared
    typed, `column` from rfm_purchases_layout) is used as it is, converted to
    the business time zone when it has one; text is parsed. -#}
{% macro rfm_typed_timestamp(column, text, source_type) -%}
    {%- if column is none -%}
    {{ rfm_parse_timestamp(text, source_type) }}
    {%- elif column.type | upper == 'TIMESTAMP WITH TIME ZONE' -%}
    timezone('{{ rfm_business_time_zone() }}', {{ column.alias }})
    {%- elif column.type | upper in ['DATE', 'TIMESTAMP'] -%}
    cast({{ column.alias }} as timestamp)
    {%- else -%}
    {#- A number where a date belongs: its text does not parse, as before. -#}
    {{ rfm_parse_timestamp(text, source_type) }}
    {%- endif -%}
{%- endmacro %}
