{#- A query giving one row per whole number 0 .. 999,999 in the column
    `column_name`, built from ten digits (portable: no generate_series or
    range on every engine). The caller filters it. -#}
{% macro rfm_numbers_below_a_million(column_name) -%}
    select
        d1.digit + d2.digit * 10 + d3.digit * 100 + d4.digit * 1000 + d5.digit * 10000
            + d6.digit * 100000 as {{ column_name }}
    from (
        select 0 as digit union all select 1 union all select 2 union all select 3
        union all select 4 union all select 5 union all select 6 union all select 7
        union all select 8 union all select 9
    ) as d1
    {%- for n in range(2, 7) %}
    cross join (
        select 0 as digit union all select 1 union all select 2 union all select 3
        union all select 4 union all select 5 union all select 6 union all select 7
        union all select 8 union all select 9
    ) as d{{ n }}
    {%- endfor %}
{%- endmacro %}
