{#- Trimmed text, with blanks turned into null. -#}
{% macro rfm_clean_text(text) -%}
    nullif(trim({{ text }}), '')
{%- endmacro %}


{#- A stable md5 key over several text columns; nulls and separators are
    spelled out so that ('a', null) and (null, 'a') differ. -#}
{% macro rfm_row_key(names, suffix='') -%}
    {%- set parts = [] -%}
    {%- for name in names -%}
        {%- if not loop.first %}{% do parts.append("'|'") %}{% endif -%}
        {%- do parts.append("coalesce(" ~ name ~ suffix ~ ", '<null>')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
