{#- What the BG/NBD and Gamma-Gamma models read per customer, in whole days,
    from the accepted purchases (the same upstream as int_customer_rfm_values).

    A purchase day is a day with at least one line that is not a return (the
    RFM's rule for orders, by day as in the literature: several orders on one
    day are one purchase). Frequency is the number of purchase days after the
    first; the repeat spend is the net amount of every line dated after the
    first purchase day, returns included, so it can be zero or negative. The
    time unit (clv_time_unit) is applied by the Python models. -#}
{%- do rfm_clv_settings() -%}

with purchases as (

    select
        customer_id,
        purchase_date,
        amount
    from {{ ref('int_purchases_accepted') }}

),

reference as (

    select * from {{ ref('int_rfm_reference_date') }}

),

purchase_days as (

    -- One row per customer and day first: the lines of a day (an order's,
    -- or several orders') are aggregated once, and the two passes below read
    -- these rows rather than every line (bench/PROFILING.md, sixth round).
    select
        customer_id,
        purchase_date,
        max(case when amount >= 0 then 1 else 0 end) as is_purchase_day,
        sum(amount) as day_amount
    from purchases
    group by 1, 2

),

first_purchases as (

    select
        customer_id,
        min(case when is_purchase_day = 1 then purchase_date end) as first_purchase_date,
        max(case when is_purchase_day = 1 then purchase_date end) as last_purchase_date,
        sum(is_purchase_day) as purchase_day_count
    from purchase_days
    group by 1

),

repeat_spend as (

    select
        purchase_days.customer_id,
        sum(case when purchase_days.purchase_date > first_purchases.first_purchase_date then purchase_days.day_amount else 0 end)
            as repeat_purchase_amount
    from purchase_days
    inner join first_purchases on purchase_days.customer_id = first_purchases.customer_id
    group by 1

),

final as (

    select
        first_purchases.customer_id,
        first_purchases.first_purchase_date,
        first_purchases.last_purchase_date,
        cast(first_purchases.purchase_day_count - 1 as integer) as repeat_purchase_days,
        cast({{ dbt.datediff('first_purchases.first_purchase_date', 'first_purchases.last_purchase_date', 'day') }} as integer)
            as first_to_last_purchase_days,
        cast({{ dbt.datediff('first_purchases.first_purchase_date', 'reference.reference_date', 'day') }} as integer)
            as first_purchase_to_reference_days,
        cast(repeat_spend.repeat_purchase_amount as decimal(18, 2)) as repeat_purchase_amount,
        reference.reference_date
    from first_purchases
    inner join repeat_spend on first_purchases.customer_id = repeat_spend.customer_id
    cross join reference

)

select * from final
