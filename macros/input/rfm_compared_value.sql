{#- The comparison value of one input column ({source, type, is_typed} from
    rfm_purchases_layout), read from the input: its value when typed, else
    its trimmed text. '' and null stay apart, as when rows were compared as
    text. -#}
{% macro rfm_compared_value(column) -%}
    {%- if column.is_typed -%}
    {{ adapter.quote(column.source) }}
    {%- else -%}
    trim({{ rfm_raw_text(adapter.quote(column.source), column.type) }})
    {%- endif -%}
{%- endmacro %}
