{#- Every customer with RFM values next to their CRM record(s), for the
    Python model int_customer_demographics. The relational work is done here,
    in SQL: the join, finding the ids listed more than once, the order. A
    customer listed twice appears once per record; the Python model keeps one
    (by signup date, which it parses) and flags them. Text is already trimmed,
    blanks null (stg_customers). A view: it is read once. -#}
{{ config(materialized='view', enabled=rfm_demographics_built()) }}

with customers as (

    select distinct customer_id from {{ ref('int_customer_rfm_values') }}

),

records as (

    select * from {{ ref('stg_customers') }}
    where customer_id is not null

),

repeated_ids as (

    select customer_id
    from records
    group by customer_id
    having count(*) > 1

),

final as (

    select
        customers.customer_id,
        records.customer_id is not null as has_record,
        repeated_ids.customer_id is not null as is_duplicated,
        records.birth_date,
        records.gender,
        records.city,
        records.region,
        records.country,
        records.signup_date,
        records.home_store_id
    from customers
    left join records on customers.customer_id = records.customer_id
    left join repeated_ids on customers.customer_id = repeated_ids.customer_id

)

select * from final
