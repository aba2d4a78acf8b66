{#- A whole-number key for a text id: its rank among the distinct ids in byte
    (code point) order, 1 for the first. The same ids give the same keys on
    every engine and in any row order; Power BI relates tables on it because
    its engine compares text without regard to case ('C001' = 'c001'). Keys
    are renumbered when ids are added: they hold within one build. -#}
{% macro rfm_surrogate_key(text) -%}
    cast(dense_rank() over (order by {{ rfm_binary_text(text) }}) as {{ dbt.type_bigint() }})
{%- endmacro %}
