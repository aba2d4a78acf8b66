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

    select
        segment,
        count(*) as customer_count,
        sum(monetary_amount) as revenue,
        avg(recency_days) as average_recency_days,
        avg(order_count) as average_order_count,
        avg(monetary_amount) as average_monetary_amount,
        avg(recency_score) as average_recency_score,
        avg(frequency_score) as average_frequency_score,
        avg(monetary_score) as average_monetary_score
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
        cast(coalesce(per_segment.customer_count, 0) * 1.0 / nullif(totals.customer_count, 0) as decimal(9, 6)) as customer_share,
        cast(coalesce(per_segment.revenue, 0) as decimal(18, 2)) as revenue,
        cast(coalesce(per_segment.revenue, 0) / nullif(totals.revenue, 0) as decimal(18, 6)) as revenue_share,
        cast(per_segment.average_recency_days as decimal(18, 2)) as average_recency_days,
        cast(per_segment.average_order_count as decimal(18, 2)) as average_order_count,
        cast(per_segment.average_monetary_amount as decimal(18, 2)) as average_monetary_amount,
        cast(per_segment.average_recency_score as decimal(9, 2)) as average_recency_score,
        cast(per_segment.average_frequency_score as decimal(9, 2)) as average_frequency_score,
        cast(per_segment.average_monetary_score as decimal(9, 2)) as average_monetary_score,
        reference.reference_date
    from segments
    cross join totals
    cross join reference
    left join per_segment
        on segments.segment = per_segment.segment

)

select * from final
