{#- Recency, frequency and monetary value of every customer at every history
    period end E: what int_customer_rfm_values gives with the reference date
    E + 1, over the purchases dated on or before E (and, with
    rfm_lookback_days = N, on or after E + 1 - N).

    Cost: the purchases are aggregated once, per customer and "bucket", and
    the purchases are never scanned once per period.
    - Without a lookback window (the default) a bucket is a history period
      (0 for everything before the first): each order is dated by one
      aggregate, running totals run over each customer's few buckets, and
      each bucket's totals stand for every period end until the customer's
      next bucket (a join on period numbers, no row per customer and period
      end before the output itself). 12 monthly periods at 10M purchase lines:
      see bench/PROFILING.md, "History models".
    - With rfm_lookback_days the windows slide, so buckets are the spans
      between consecutive period starts and lookback-window starts, and
      running totals with a range frame over the buckets plus a row per
      customer and period end give each period end's values. -#}
{%- set lookback_days = rfm_lookback_days() -%}
{#- Without a lookback window only fct_customer_rfm_history reads these
    rows, so on DuckDB a view: the 12M rows are written once, scored
    (DuckDB computes once a CTE that its query reads several times). Other engines
    may compute a view once per reference, and with a lookback window
    rpt_segment_transitions reads the rows too: a table. -#}
{{ config(enabled=rfm_history_periods() > 0,
          materialized='view' if target.type == 'duckdb' and not lookback_days else 'table') }}
{%- set period_count = rfm_history_periods() -%}
{%- set grain = rfm_history_grain() -%}
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
    -- window may have one in an earlier window (without a window, only the
    -- refunds set aside for want of a purchase).
    select customer_id, order_id, purchased_at, purchase_date, amount
    from screened
    where (reject_reason is null
            or reject_reason in ('purchase_before_lookback_window', 'return_without_purchase'))
        {%- if rfm_returns_handling() == 'exclude' %}
        and amount >= 0
        {%- endif %}
        and purchase_date <= (select max(period_end_date) from periods)

),

{%- if not lookback_days %}

lines as (

    -- Each line with its bucket: the number of the period it falls in, 0
    -- before the first period (an equality join on the period start).
    select
        purchases.customer_id,
        coalesce(purchases.order_id, {{ dbt.cast('purchases.purchased_at', dbt.type_string()) }}) as order_key,
        purchases.purchase_date,
        purchases.amount,
        coalesce(periods.period_number, 0) as bucket_number
    from purchases
    left join periods
        on cast({{ dbt.date_trunc(grain, 'purchases.purchase_date') }} as date) = periods.period_start_date

),

orders as (

    -- As in int_customer_rfm_values, an order counts once, and only if it
    -- holds a line that is not a return: from the bucket of its first one
    -- (buckets follow the dates, so that is the least bucket).
    select
        customer_id,
        min(case when amount >= 0 then bucket_number end) as bucket_number
    from lines
    group by customer_id, order_key

),

customer_buckets as (

    select
        customer_id,
        bucket_number,
        sum(order_count) as order_count,
        sum(amount) as amount,
        min(purchase_line_date) as first_purchase_date,
        max(purchase_line_date) as last_purchase_date
    from (
        select
            customer_id,
            bucket_number,
            0 as order_count,
            amount,
            case when amount >= 0 then purchase_date end as purchase_line_date
        from lines
        union all
        select
            customer_id,
            bucket_number,
            1 as order_count,
            0 as amount,
            cast(null as date) as purchase_line_date
        from orders
        where bucket_number is not null
    ) as bucket_lines
    group by customer_id, bucket_number

),

running as (

    -- Totals up to each of a customer's buckets; they hold for every period
    -- end from that bucket's period up to the period before the next bucket.
    select
        customer_id,
        bucket_number,
        coalesce(lead(bucket_number) over (partition by customer_id order by bucket_number), {{ period_count + 1 }}) as next_bucket_number,
        -- Casts and day numbers here, per bucket, rather than per period end.
        cast(amount as decimal(18, 2)) as bucket_amount,
        sum(order_count) over (partition by customer_id order by bucket_number rows between unbounded preceding and current row) as order_count,
        sum(amount) over (partition by customer_id order by bucket_number rows between unbounded preceding and current row) as monetary_amount,
        min(first_purchase_date) over (partition by customer_id order by bucket_number rows between unbounded preceding and current row) as first_purchase_date,
        max(last_purchase_date) over (partition by customer_id order by bucket_number rows between unbounded preceding and current row) as last_purchase_date
    from customer_buckets

),

running_values as (

    select
        customer_id,
        bucket_number,
        next_bucket_number,
        bucket_amount,
        cast(order_count as integer) as order_count,
        cast(monetary_amount as decimal(18, 2)) as monetary_amount,
        first_purchase_date,
        last_purchase_date,
        {{ dbt.datediff("cast('2000-01-01' as date)", 'last_purchase_date', 'day') }} as last_purchase_day
    from running
    -- A customer exists at a period end once a purchase (not a return) is in its window.
    where last_purchase_date is not null

),

numbered_periods as (

    select
        *,
        {{ dbt.datediff("cast('2000-01-01' as date)", 'reference_date', 'day') }} as reference_day
    from periods

),

final as (

    -- Without a window, the first purchase within it is the first ever.
    select
        running_values.customer_id,
        numbered_periods.period_number,
        numbered_periods.period_end_date,
        numbered_periods.reference_date,
        running_values.first_purchase_date,
        running_values.last_purchase_date,
        cast(numbered_periods.reference_day - running_values.last_purchase_day as integer) as recency_days,
        running_values.order_count,
        running_values.monetary_amount,
        case
            when numbered_periods.period_number = running_values.bucket_number then running_values.bucket_amount
            else cast(0 as decimal(18, 2))
        end as period_revenue,
        running_values.first_purchase_date as first_purchase_ever_date
    from running_values
    inner join numbered_periods
        on numbered_periods.period_number >= running_values.bucket_number
        and numbered_periods.period_number < running_values.next_bucket_number

)

select * from final

{%- else %}

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

{%- endif %}
