{#- One row per history period end and catalogue segment (empty ones
    included, with zeros): customers, their share, and what they spent
    during the period. -#}
{{ config(enabled=rfm_history_periods() > 0) }}

with history as (

    select * from {{ ref('fct_customer_rfm_history') }}

),

periods as (

    select * from {{ ref('int_rfm_history_periods') }}

),

segments as (

    select * from {{ ref('dim_segments') }}

),

per_segment as (

    select
        period_end_date,
        segment,
        count(*) as customer_count,
        sum(period_revenue) as revenue
    from history
    group by 1, 2

),

totals as (

    select
        period_end_date,
        count(*) as customer_count,
        sum(period_revenue) as revenue
    from history
    group by 1

),

final as (

    select
        periods.period_number,
        periods.period_start_date,
        periods.period_end_date,
        segments.segment_key,
        segments.segment,
        segments.sort_order,
        segments.tier,
        cast(coalesce(per_segment.customer_count, 0) as bigint) as customer_count,
        cast({{ rfm_round_div('coalesce(per_segment.customer_count, 0)', 'totals.customer_count', 6) }} as decimal(9, 6)) as customer_share,
        cast(coalesce(per_segment.revenue, 0) as decimal(18, 2)) as revenue,
        cast({{ rfm_round_div('coalesce(per_segment.revenue, 0)', 'totals.revenue', 6, numerator_scale=2, denominator_scale=2) }} as decimal(18, 6)) as revenue_share
    from periods
    cross join segments
    left join per_segment
        on periods.period_end_date = per_segment.period_end_date
        and segments.segment = per_segment.segment
    left join totals
        on periods.period_end_date = totals.period_end_date

)

select * from final
