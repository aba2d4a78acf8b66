{#- dim_customers has exactly one row per customer in fct_customer_rfm: customers
    without a CRM record are kept as 'Unknown', never dropped. Returns the
    customers missing on either side. -#}
{{ config(enabled=rfm_flag('demographics_enabled', true) and target.type in rfm_python_model_adapters()) }}

with customers as (

    select customer_id from {{ ref('fct_customer_rfm') }}

),

demographics as (

    select customer_id from {{ ref('dim_customers') }}

),

final as (

    select customers.customer_id, 'missing from dim_customers' as problem
    from customers
    left join demographics on customers.customer_id = demographics.customer_id
    where demographics.customer_id is null

)

select * from final
