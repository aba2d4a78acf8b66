{#- Every pair of rpt_segment_transitions accounts for every customer at both
    ends: summed by from_segment its customers equal rpt_segment_history at
    the earlier period end, by to_segment at the later one. -#}
{{ config(enabled=rfm_history_periods() > 0) }}

with transitions as (

    select * from {{ ref('rpt_segment_transitions') }}

),

history as (

    select * from {{ ref('rpt_segment_history') }}

),

ends as (

    select pair_type, from_period_end_date, to_period_end_date,
        from_period_end_date as period_end_date, from_segment as segment, customer_count
    from transitions
    union all
    select pair_type, from_period_end_date, to_period_end_date,
        to_period_end_date as period_end_date, to_segment as segment, customer_count
    from transitions

),

per_end as (

    select pair_type, from_period_end_date, to_period_end_date, period_end_date, segment,
        sum(customer_count) as customer_count
    from ends
    where segment in (select segment from history)
    group by 1, 2, 3, 4, 5

),

pairs as (

    select distinct pair_type, from_period_end_date, to_period_end_date from transitions

),

expected as (

    select pairs.pair_type, pairs.from_period_end_date, pairs.to_period_end_date,
        history.period_end_date, history.segment, history.customer_count
    from pairs
    inner join history
        on history.period_end_date in (pairs.from_period_end_date, pairs.to_period_end_date)

)

select expected.*, coalesce(per_end.customer_count, 0) as transitions_customer_count
from expected
left join per_end
    on expected.pair_type = per_end.pair_type
    and expected.from_period_end_date = per_end.from_period_end_date
    and expected.to_period_end_date = per_end.to_period_end_date
    and expected.period_end_date = per_end.period_end_date
    and expected.segment = per_end.segment
where expected.customer_count <> coalesce(per_end.customer_count, 0)
