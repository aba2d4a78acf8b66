-- The summary's counts and revenue add up to the customer table's.
with summary as (

    select sum(customer_count) as customers, sum(revenue) as revenue
    from {{ ref('rpt_segment_summary') }}

),

customers as (

    select count(*) as customers, coalesce(sum(monetary_amount), 0) as revenue
    from {{ ref('fct_customer_rfm') }}

)

select *
from summary
cross join customers
where summary.customers != customers.customers
    or summary.revenue != customers.revenue
