{#- The rows the analysis could not use, with their original text and why;
    and the malformed lines of a CSV input, which are not rows (their file,
    line number and text are in stg_purchases_malformed_lines, under the same
    key). -#}

with screened as (

    select * from {{ ref('int_purchases_screened') }}

),

malformed_lines as (

    select * from {{ ref('stg_purchases_malformed_lines') }}

),

final as (

    select
        purchase_key,
        reject_reason,
        {%- for column in rfm_input_spec('purchases').columns %}
        {{ column.name }}_raw,
        {%- endfor %}
        purchase_date,
        amount,
        source_row_count
    from screened
    where reject_reason is not null

    union all

    select
        malformed_line_key as purchase_key,
        reject_reason,
        {%- for column in rfm_input_spec('purchases').columns %}
        cast(null as {{ dbt.type_string() }}) as {{ column.name }}_raw,
        {%- endfor %}
        cast(null as date) as purchase_date,
        cast(null as decimal(18, 4)) as amount,
        cast(1 as bigint) as source_row_count
    from malformed_lines

)

select * from final
