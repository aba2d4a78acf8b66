{#- rpt_rfm_grid agrees with fct_customer_rfm: every scored customer's
    segment is its cell's, and the cells hold every scored customer once. -#}
{%- set bins = rfm_score_bins() -%}

with customers as (

    select
        {{ rfm_score_to_quintile('recency_score', bins) }} as recency_grid_score,
        {{ rfm_fm_score(rfm_score_to_quintile('frequency_score', bins), rfm_score_to_quintile('monetary_score', bins)) }} as fm_grid_score,
        segment
    from {{ ref('fct_customer_rfm') }}
    where is_scored

),

wrong_segment as (

    select customers.recency_grid_score, customers.fm_grid_score, 'segment differs' as problem
    from customers
    inner join {{ ref('rpt_rfm_grid') }} as grid
        on customers.recency_grid_score = grid.recency_grid_score
        and customers.fm_grid_score = grid.fm_grid_score
    where customers.segment <> grid.segment

),

wrong_count as (

    select cast(null as integer) as recency_grid_score, cast(null as integer) as fm_grid_score,
        'customer count differs' as problem
    from (select count(*) as customer_count from customers) as counted
    cross join (select sum(customer_count) as customer_count from {{ ref('rpt_rfm_grid') }}) as gridded
    where counted.customer_count <> gridded.customer_count

)

select * from wrong_segment
union all
select * from wrong_count
