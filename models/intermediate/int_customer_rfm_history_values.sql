{#- Recency, frequency and monetary value of every customer at every history
    period end E: what int_customer_rfm_values gives with the reference date
    E + 1, over the purchases dated on or before E (and, with
    rfm_lookback_days = N, on or after E + 1 - N).

    Cost: the purchases are aggregated once, per customer and "bucket" (the
    spans between consecutive period starts and lookback-window starts, so
    that every window is a run of whole buckets); running totals over the
    buckets then give each period end's values. The purchases are never
    scanned once per period. -#}
{{ config(enabled=rfm_history_periods() > 0) }}
{%- set lookback_days = rfm_lookback_days() -%}
{#- The window of a period end: everything before it, or its last N days. -#}
{%- set window_frame = 'range between ' ~ (((lookback_days - 1) ~ ' preceding') if lookback_days else 'unbounded preceding') ~ ' and current row' -%}
{%- set over_window = 'over (partition by customer_id order by as_of_day ' ~ window_frame ~ ')' -%}

with screened as (

    select * from {{ ref('int_purchases_screened') }}

),

periods as (

    select * from {{ ref('int_rfm_history_periods') }}

),

purchases as (

    -- The accepted lines (what fct_purchases holds), plus those set aside only
    -- by the current lookback window: an earlier period end has its own
    -- window, and a refund set aside for want of a purchase in the current
    -- window may have one in an earlier window.
    select {{ rfm_fold_customer_id('customer_id') }} as customer_id, order_id, purchased_at, purchase_date, amount
    from screened
    where (reject_reason is null
            or reject_reason in ('purchase_before_lookback_window', 'return_without_purchase'))
        {%- if rfm_returns_handling() == 'exclude' %}
        and amount >= 0
        {%- endif %}
        and purchase_date <= (select max(period_end_date) from periods)

),

order_days as (

    -- One row per order and day (an order's lines normally share a day).
    select
        customer_id,
        coalesce(order_id, {{ dbt.cast('purchased_at', dbt.type_string()) }}) as order_key,
        purchase_date,
        sum(amount) as amount,
        max(case when amount >= 0 then 1 else 0 end) as has_purchase_line
    from purchases
    group by 1, 2, 3

),

dated_orders as (

    -- As in int_customer_rfm_values, an order counts once, and only if it
    -- holds a line that is not a return: here from the day of its first one.
    select
        *,
        min(case when has_purchase_line = 1 then purchase_date end)
            over (partition by customer_id, order_key) as order_date
    from order_days

),

boundaries as (

    select period_start_date as boundary_date from periods
    union
    select reference_date from periods
    {%- if lookback_days %}
    union
    select lookback_start_date from periods
    {%- endif %}

),

buckets as (

    select
        boundary_date as bucket_start_date,
        {{ rfm_add_days(-1, 'lead(boundary_date) over (order by boundary_date)') }} as bucket_end_date
    from boundaries
    union all
    -- everything before the first boundary
    select
        (select min(purchase_date) from purchases) as bucket_start_date,
        {{ rfm_add_days(-1, 'min(boundary_date)') }} as bucket_end_date
    from boundaries

),

customer_buckets as (

    select
        dated_orders.customer_id,
        buckets.bucket_start_date,
        buckets.bucket_end_date,
        sum(case when dated_orders.purchase_date = dated_orders.order_date then 1 else 0 end) as order_count,
        sum(dated_orders.amount) as monetary_amount,
        min(case when dated_orders.has_purchase_line = 1 then dated_orders.purchase_date end) as first_purchase_date,
        max(case when dated_orders.has_purchase_line = 1 then dated_orders.purchase_date end) as last_purchase_date
    from dated_orders
    inner join buckets
        on dated_orders.purchase_date >= buckets.bucket_start_date
        and dated_orders.purchase_date <= buckets.bucket_end_date
    group by 1, 2, 3

),

period_revenue as (

    -- What each customer spent during each period (inside its lookback
    -- window, like monetary_amount).
    select
        customer_buckets.customer_id,
        periods.period_end_date,
        sum(customer_buckets.monetary_amount) as period_revenue
    from customer_buckets
    inner join periods
        on customer_buckets.bucket_start_date >= periods.period_start_date
        and customer_buckets.bucket_end_date <= periods.period_end_date
        {%- if lookback_days %}
        and customer_buckets.bucket_start_date >= periods.lookback_start_date
        {%- endif %}
    group by 1, 2

),

customers as (

    select customer_id, min(first_purchase_date) as first_purchase_date
    from customer_buckets
    group by 1

),

timeline as (

    -- The buckets' sums, and a row per customer and period end (from the
    -- customer's first purchase on) where the running totals are read.
    select
        customer_id,
        bucket_end_date as as_of_date,
        0 as is_period_end,
        order_count,
        monetary_amount,
        first_purchase_date,
        last_purchase_date,
        cast(null as date) as first_purchase_ever_date
    from customer_buckets
    union all
    select
        customers.customer_id,
        periods.period_end_date as as_of_date,
        1 as is_period_end,
        0 as order_count,
        0 as monetary_amount,
        cast(null as date) as first_purchase_date,
        cast(null as date) as last_purchase_date,
        customers.first_purchase_date as first_purchase_ever_date
    from customers
    inner join periods
        on customers.first_purchase_date <= periods.period_end_date

),

running as (

    select
        customer_id,
        as_of_date,
        is_period_end,
        first_purchase_ever_date,
        sum(order_count) {{ over_window }} as order_count,
        sum(monetary_amount) {{ over_window }} as monetary_amount,
        min(first_purchase_date) {{ over_window }} as first_purchase_date,
        max(last_purchase_date) {{ over_window }} as last_purchase_date
    from (
        select
            *,
            {{ dbt.datediff("cast('2000-01-01' as date)", 'as_of_date', 'day') }} as as_of_day
        from timeline
    ) as numbered

),

final as (

    select
        running.customer_id,
        periods.period_number,
        periods.period_end_date,
        periods.reference_date,
        running.first_purchase_date,
        running.last_purchase_date,
        cast({{ dbt.datediff('running.last_purchase_date', 'periods.reference_date', 'day') }} as integer) as recency_days,
        cast(running.order_count as integer) as order_count,
        cast(running.monetary_amount as decimal(18, 2)) as monetary_amount,
        cast(coalesce(period_revenue.period_revenue, 0) as decimal(18, 2)) as period_revenue,
        running.first_purchase_ever_date
    from running
    inner join periods
        on running.as_of_date = periods.period_end_date
    left join period_revenue
        on running.customer_id = period_revenue.customer_id
        and running.as_of_date = period_revenue.period_end_date
    -- A customer exists at a period end once a purchase (not a return) is in its window.
    where running.is_period_end = 1
        and running.last_purchase_date is not null

)

select * from final
