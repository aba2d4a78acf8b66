{#- How purchase rows are compared, shared by stg_purchases (one row per
    input row), int_purchases_deduplicated, int_purchases_screened (one row
    per distinct row) and fct_purchases_rejected.

    Rows are deduplicated on one "comparison value" per input column, mapped
    or not: the trimmed text of a text column, or, on DuckDB, the typed value
    of a date, timestamp, decimal or integer column (equal values have equal
    text, so this is the same test as comparing text, without printing ten
    million values). Everything else (typed columns, the row-level reason,
    the key) is a function of the comparison values, so it is computed after
    the duplicates are merged, once per distinct row.

    Returns {input, mapped (our column -> {source, type}, from
    rfm_input_column_map), compared (one entry per input column, in the
    input's order: {source, type, alias, is_typed})}. -#}
{% macro rfm_purchases_layout() -%}
    {%- set input = rfm_input('purchases') -%}
    {%- set column_map = rfm_input_column_map(input) -%}
    {%- set compared = [] -%}
    {%- for column in column_map.all -%}
        {%- set ours = [] -%}
        {%- for name, mapped in column_map.mapped.items() if mapped.source == column.name -%}
            {%- do ours.append(name) -%}
        {%- endfor -%}
        {#- An unmapped column still decides what a duplicate is: two lines
            that differ only there stay two lines. -#}
        {%- set alias = (ours[0] if ours else 'input_column_' ~ loop.index) ~ '_compared' -%}
        {%- do compared.append({'source': column.name, 'type': column.type, 'alias': alias,
                                'is_typed': rfm_is_comparable_typed(column.type)}) -%}
    {%- endfor -%}
    {{- return({'input': input, 'mapped': column_map.mapped, 'compared': compared}) -}}
{%- endmacro %}
