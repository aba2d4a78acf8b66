{#- One row per customer in fct_customer_rfm with their predicted value. The
    models are fitted and applied in the Python models int_clv_model_fitted and
    int_customer_clv_predicted; this SQL layer gives the table its enforced
    contract (dbt enforces contracts on SQL models only). Nothing is rounded. -#}

with predicted as (

    select * from {{ ref('int_customer_clv_predicted') }}

),

customers as (

    select customer_id, customer_key from {{ ref('fct_customer_rfm') }}

),

final as (

    select
        -- Power BI relates the table to fct_customer_rfm on this key, never on the id (see fct_customer_rfm)
        customers.customer_key,
        cast(predicted.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(repeat_purchase_days as integer) as repeat_purchase_days,
        cast(mean_repeat_spend as double) as mean_repeat_spend,
        cast(p_alive as double) as p_alive,
        -- the report's P(alive) histogram: the tenth p_alive falls in, by its lower bound (1 goes with 0.9)
        cast(floor(least(p_alive * 10, 9)) / 10.0 as double) as p_alive_band,
        cast(expected_purchases_90d as double) as expected_purchases_90d,
        cast(expected_purchases_365d as double) as expected_purchases_365d,
        cast(expected_average_spend as double) as expected_average_spend,
        cast(clv_12m as double) as clv_12m,
        cast(clv_over_horizon as double) as clv_over_horizon
    from predicted
    inner join customers
        on predicted.customer_id = customers.customer_id

)

select * from final
