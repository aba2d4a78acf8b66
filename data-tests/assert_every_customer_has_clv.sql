{#- fct_customer_clv has exactly one row per customer in fct_customer_rfm.
    Returns the customers missing on either side. -#}
{{ config(enabled=rfm_clv_enabled()) }}

with customers as (

    select customer_id from {{ ref('fct_customer_rfm') }}

),

predicted as (

    select customer_id from {{ ref('fct_customer_clv') }}

),

final as (

    select customers.customer_id, 'missing from fct_customer_clv' as problem
    from customers
    left join predicted on customers.customer_id = predicted.customer_id
    where predicted.customer_id is null

    union all

    select predicted.customer_id, 'not in fct_customer_rfm' as problem
    from predicted
    left join customers on predicted.customer_id = customers.customer_id
    where customers.customer_id is null

)

select * from final
