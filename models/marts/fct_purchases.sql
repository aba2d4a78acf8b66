{#- The accepted purchases (returns included when they are netted), for
    trends and drill-down. -#}

with screened as (

    select * from {{ ref('int_purchases_screened') }}

),

final as (

    select
        purchase_key,
        customer_id,
        order_id,
        purchased_at,
        purchase_date,
        store_id,
        product_category,
        quantity,
        amount,
        amount < 0 as is_return
    from screened
    where reject_reason is null

)

select * from final
