-- NTILE promises equal buckets: for each of R, F and M the bucket sizes
-- differ by at most one customer, and every bucket is used when there are
-- at least as many scored customers as bins.
{{ config(enabled=(rfm_scoring_method() == 'ntile')) }}

with scored as (

    select * from {{ ref('fct_customer_rfm') }} where is_scored

),

buckets as (

    select 'recency' as score_name, recency_score as score, count(*) as customers from scored group by 1, 2
    union all
    select 'frequency', frequency_score, count(*) from scored group by 1, 2
    union all
    select 'monetary', monetary_score, count(*) from scored group by 1, 2

),

spread as (

    select
        score_name,
        count(*) as buckets_used,
        max(customers) - min(customers) as size_spread
    from buckets
    group by 1

)

select spread.*
from spread
cross join (select count(*) as customers from scored) as total
where spread.size_spread > 1
    or (total.customers >= {{ rfm_score_bins() }} and spread.buckets_used != {{ rfm_score_bins() }})
