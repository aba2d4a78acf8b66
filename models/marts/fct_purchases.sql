{#- The accepted purchases (returns included when they are netted), for
    trends and drill-down. -#}

with accepted as (

    select * from {{ ref('int_purchases_accepted') }}

),

customers as (

    select customer_id, customer_key from {{ ref('fct_customer_rfm') }}

),

final as (

    select
        accepted.purchase_key,
        customers.customer_key,
        accepted.customer_id,
        accepted.order_id,
        accepted.purchased_at,
        accepted.purchase_date,
        accepted.store_id,
        accepted.product_category,
        accepted.quantity,
        accepted.amount,
        accepted.is_return
    from accepted
    left join customers
        on accepted.customer_id = customers.customer_id

)

select * from final
