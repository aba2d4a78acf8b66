{#- One row per customer in fct_customer_rfm with cleaned demographics. The
    cleaning happens in the Python model int_customer_demographics; this SQL
    layer gives the table its enforced contract (dbt enforces contracts on
    SQL models only). -#}

with demographics as (

    select * from {{ ref('int_customer_demographics') }}

),

customers as (

    select customer_id, customer_key from {{ ref('fct_customer_rfm') }}

),

final as (

    select
        customers.customer_key,
        cast(demographics.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(has_demographics as boolean) as has_demographics,
        cast(birth_date as date) as birth_date,
        cast(age_years as integer) as age_years,
        cast(age_band as {{ dbt.type_string() }}) as age_band,
        cast(age_band_sort_order as integer) as age_band_sort_order,
        cast(gender as {{ dbt.type_string() }}) as gender,
        cast(city as {{ dbt.type_string() }}) as city,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(country as {{ dbt.type_string() }}) as country,
        cast(signup_date as date) as signup_date,
        cast(home_store_id as {{ dbt.type_string() }}) as home_store_id,
        cast(demographic_issues as {{ dbt.type_string() }}) as demographic_issues
    from demographics
    left join customers
        on demographics.customer_id = customers.customer_id

)

select * from final
