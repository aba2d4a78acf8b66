{#- The rows the analysis could not use, with their original text and why. -#}

with screened as (

    select * from {{ ref('int_purchases_screened') }}

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

)

select * from final
