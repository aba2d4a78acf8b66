{#- A stable md5 key over the trimmed text of the given input columns
    ({name, type}); nulls and separators are spelled out so that ('a', null)
    and (null, 'a') differ. -#}
{% macro rfm_row_key(input_columns) -%}
    {%- set parts = [] -%}
    {%- for column in input_columns -%}
        {%- if not loop.first %}{% do parts.append("'|'") %}{% endif -%}
        {%- do parts.append("coalesce(trim(" ~ rfm_raw_text(adapter.quote(column.name), column.type) ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
