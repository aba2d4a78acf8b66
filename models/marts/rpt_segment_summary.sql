{#- One row per catalogue segment (empty ones included, with zeros). -#}

with customers as (

    select * from {{ ref('fct_customer_rfm') }}

),

segments as (

    select * from {{ ref('dim_segments') }}

),

reference as (

    select * from {{ ref('int_rfm_reference_date') }}

),

per_segment as (

    -- Sums and counts; the averages are divided out below in whole-number
    -- arithmetic, so that every engine rounds them alike.
    select
        segment,
        count(*) as customer_count,
        sum(monetary_amount) as revenue,
        sum(recency_days) as total_recency_days,
        sum(order_count) as total_order_count,
        sum(recency_score) as total_recency_score,
        sum(frequency_score) as total_frequency_score,
        sum(monetary_score) as total_monetary_score,
        count(recency_score) as scored_count
    from customers
    group by 1

),

totals as (

    select count(*) as customer_count, sum(monetary_amount) as revenue
    from customers

),

final as (

    select
        segments.segment,
        segments.sort_order,
        cast(coalesce(per_segment.customer_count, 0) as bigint) as customer_count,
        cast({{ rfm_round_div('coalesce(per_segment.customer_count, 0)', 'totals.customer_count', 6) }} as decimal(9, 6)) as customer_share,
        cast(coalesce(per_segment.revenue, 0) as decimal(18, 2)) as revenue,
        cast({{ rfm_round_div('coalesce(per_segment.revenue, 0)', 'totals.revenue', 6, numerator_scale=2, denominator_scale=2) }} as decimal(18, 6)) as revenue_share,
        cast({{ rfm_round_div('per_segment.total_recency_days', 'per_segment.customer_count', 2) }} as decimal(18, 2)) as average_recency_days,
        cast({{ rfm_round_div('per_segment.total_order_count', 'per_segment.customer_count', 2) }} as decimal(18, 2)) as average_order_count,
        cast({{ rfm_round_div('per_segment.revenue', 'per_segment.customer_count', 2, numerator_scale=2) }} as decimal(18, 2)) as average_monetary_amount,
        cast({{ rfm_round_div('per_segment.total_recency_score', 'per_segment.scored_count', 2) }} as decimal(9, 2)) as average_recency_score,
        cast({{ rfm_round_div('per_segment.total_frequency_score', 'per_segment.scored_count', 2) }} as decimal(9, 2)) as average_frequency_score,
        cast({{ rfm_round_div('per_segment.total_monetary_score', 'per_segment.scored_count', 2) }} as decimal(9, 2)) as average_monetary_score,
        reference.reference_date
    from segments
    cross join totals
    cross join reference
    left join per_segment
        on segments.segment = per_segment.segment

)

select * from final
