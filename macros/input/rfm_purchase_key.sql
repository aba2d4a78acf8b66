{#- purchase_key: md5 of the trimmed text of every input column (mapped or
    not), in the input's order, with nulls and separators spelled out so that
    ('a', null) and (null, 'a') differ. The same text on every engine, so the
    same key whatever the engine or the row order. Computed from the
    comparison columns of rfm_purchases_layout, once per distinct row.

    copy_number: with exact_duplicates 'keep', the n-th copy (n > 1) of a
    line gets '-n' after the md5, so every copy has a key of its own. -#}
{% macro rfm_purchase_key(layout, copy_number=none) -%}
    {%- set parts = [] -%}
    {%- for column in layout.compared -%}
        {%- if not loop.first %}{% do parts.append("'|'") %}{% endif -%}
        {%- if column.is_typed -%}
            {%- do parts.append("coalesce(trim(" ~ rfm_raw_text(column.alias, column.type) ~ "), '<null>')") -%}
        {%- else -%}
            {%- do parts.append("coalesce(" ~ column.alias ~ ", '<null>')") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set key = dbt.hash(dbt.concat(parts)) -%}
    {%- if copy_number is none -%}
    {{ key }}
    {%- else -%}
    case when {{ copy_number }} = 1 then {{ key }}
        else {{ dbt.concat([key, "'-'", dbt.cast(copy_number, dbt.type_string())]) }} end
    {%- endif -%}
{%- endmacro %}
