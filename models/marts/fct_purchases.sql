{#- The accepted purchases (returns included when they are netted), for
    trends and drill-down. -#}

with accepted as (

    select * from {{ ref('int_purchases_accepted') }}

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
        is_return
    from accepted

)

select * from final
