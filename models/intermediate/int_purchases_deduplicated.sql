{#- Distinct input rows: rows are the same when every input column (mapped
    or not) has the same comparison value (trimmed text, or typed value; see
    macros/input/rfm_purchases_layout.sql). `source_row_count` says how many
    input rows each stands for, so input = sum(source_row_count).

    With the var exact_duplicates 'keep', identical rows are all kept: each
    copy is a row of its own (source_row_count 1) with its `copy_number`,
    which makes its purchase_key unique.

    A view: int_purchases_screened, its only reader, computes it while
    writing its own table (a table here would write 10M rows once more). -#}
{{ config(materialized='view') }}
{%- set compared = rfm_purchases_layout().compared | map(attribute='alias') | list -%}

with purchases as (

    select * from {{ ref('stg_purchases') }}

),

grouped as (

    select
        {%- for alias in compared %}
        {{ alias }},
        {%- endfor %}
        count(*) as source_row_count
    from purchases
    group by
        {%- for alias in compared %}
        {{ alias }}{{ ',' if not loop.last }}
        {%- endfor %}

),

{% if rfm_exact_duplicates() == 'drop' -%}

final as (

    select
        *,
        1 as copy_number
    from grouped

)

{%- else -%}

copy_numbers as (

    -- 2 .. the largest number of copies of one line (up to 999,999: more
    -- copies than that would leave rows out, and the reconciliation test
    -- would fail the build).
    select numbers.copy_number
    from ({{ rfm_numbers_below_a_million('copy_number') }}) as numbers
    where numbers.copy_number between 2 and (select max(source_row_count) from grouped)

),

final as (

    select
        {%- for alias in compared %}
        {{ alias }},
        {%- endfor %}
        cast(1 as {{ dbt.type_bigint() }}) as source_row_count,
        1 as copy_number
    from grouped

    union all

    select
        {%- for alias in compared %}
        grouped.{{ alias }},
        {%- endfor %}
        cast(1 as {{ dbt.type_bigint() }}) as source_row_count,
        copy_numbers.copy_number
    from grouped
    inner join copy_numbers
        on copy_numbers.copy_number <= grouped.source_row_count
    where grouped.source_row_count > 1

)

{%- endif %}

select * from final
