-- The customers' monetary values add up to the accepted purchase lines (up
-- to the rounding of each customer's total to cents).
with customers as (

    select count(*) as customer_count, sum(monetary_amount) as monetary
    from {{ ref('fct_customer_rfm') }}

),

purchases as (

    select sum(amount) as amount
    from {{ ref('fct_purchases') }}

)

select *
from customers
cross join purchases
where abs(customers.monetary - purchases.amount) > 0.005 * customers.customer_count
