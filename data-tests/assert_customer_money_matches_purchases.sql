-- Each customer's monetary value is the net sum of their accepted purchase
-- lines, to the cent: the only difference allowed is the rounding of that
-- sum to cents (at most half a cent). A customer on one side only fails too.
with customers as (

    select customer_id, monetary_amount
    from {{ ref('fct_customer_rfm') }}

),

purchases as (

    select customer_id, sum(amount) as amount
    from {{ ref('fct_purchases') }}
    group by 1

)

select
    coalesce(customers.customer_id, purchases.customer_id) as customer_id,
    customers.monetary_amount,
    purchases.amount as purchases_amount
from customers
full outer join purchases
    on customers.customer_id = purchases.customer_id
where customers.customer_id is null
    or purchases.customer_id is null
    or abs(customers.monetary_amount - purchases.amount) > 0.005
