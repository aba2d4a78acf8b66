{#- Recency, frequency and monetary value per customer, from the accepted
    purchases.

    Frequency counts orders: distinct order_id when the input has one,
    otherwise distinct purchase timestamps. An order counts only if it holds
    at least one line that is not a return; returns (negative lines) lower
    the monetary value when returns_handling is 'net' and never move the
    recency or frequency. -#}

with purchases as (

    select
        customer_id,
        order_id,
        purchased_at,
        purchase_date,
        amount
    from {{ ref('int_purchases_accepted') }}

),

reference as (

    select * from {{ ref('int_rfm_reference_date') }}

),

orders as (

    select
        customer_id,
        coalesce(order_id, {{ dbt.cast('purchased_at', dbt.type_string()) }}) as order_key,
        min(case when amount >= 0 then purchase_date end) as first_purchase_date,
        max(case when amount >= 0 then purchase_date end) as last_purchase_date,
        max(case when amount >= 0 then 1 else 0 end) as is_purchase_order,
        sum(amount) as order_amount,
        sum(case when amount < 0 then -amount else 0 end) as returned_amount
    from purchases
    group by 1, 2

),

customers as (

    select
        customer_id,
        min(first_purchase_date) as first_purchase_date,
        max(last_purchase_date) as last_purchase_date,
        sum(is_purchase_order) as order_count,
        sum(order_amount) as monetary_amount,
        sum(returned_amount) as returned_amount
    from orders
    group by 1

),

final as (

    select
        customers.customer_id,
        customers.first_purchase_date,
        customers.last_purchase_date,
        cast({{ dbt.datediff('customers.last_purchase_date', 'reference.reference_date', 'day') }} as integer) as recency_days,
        cast({{ dbt.datediff('customers.first_purchase_date', 'reference.reference_date', 'day') }} as integer) as tenure_days,
        cast(customers.order_count as integer) as order_count,
        cast(customers.monetary_amount as decimal(18, 2)) as monetary_amount,
        cast(customers.returned_amount as decimal(18, 2)) as returned_amount,
        cast({{ rfm_round_div('customers.monetary_amount', 'customers.order_count', 2, numerator_scale=4) }} as decimal(18, 2)) as average_order_value,
        reference.reference_date
    from customers
    cross join reference

)

select * from final
