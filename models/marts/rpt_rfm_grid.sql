{#- The segment grid as built: one row per cell of the 1..5 R x FM grid the
    segment rules read (all 25, empty ones with zeros), with its scored
    customers, their revenue and the segment the rules give the cell.
    `rfm preview` applies an edited rfm_segment macro to this table. -#}
{%- set bins = rfm_score_bins() -%}

with customers as (

    select * from {{ ref('fct_customer_rfm') }}

),

reference as (

    select * from {{ ref('int_rfm_reference_date') }}

),

cells as (

    -- The 25 cells of the grid, defined once in dim_rfm_grid_cells.
    select recency_grid_score, fm_grid_score
    from {{ ref('dim_rfm_grid_cells') }}

),

on_grid as (

    -- The inputs of rfm_segment, as fct_customer_rfm computes them.
    select
        {{ rfm_score_to_quintile('recency_score', bins) }} as recency_grid_score,
        {{ rfm_fm_score(rfm_score_to_quintile('frequency_score', bins), rfm_score_to_quintile('monetary_score', bins)) }} as fm_grid_score,
        monetary_amount
    from customers
    where is_scored

),

per_cell as (

    select
        recency_grid_score,
        fm_grid_score,
        count(*) as customer_count,
        sum(monetary_amount) as revenue
    from on_grid
    group by 1, 2

),

totals as (

    select count(*) as customer_count, sum(monetary_amount) as revenue
    from on_grid

),

final as (

    select
        cast(cells.recency_grid_score as integer) as recency_grid_score,
        cast(cells.fm_grid_score as integer) as fm_grid_score,
        cast(coalesce(per_cell.customer_count, 0) as bigint) as customer_count,
        cast({{ rfm_round_div('coalesce(per_cell.customer_count, 0)', 'totals.customer_count', 6) }} as decimal(9, 6)) as customer_share,
        cast(coalesce(per_cell.revenue, 0) as decimal(18, 2)) as revenue,
        cast({{ rfm_round_div('coalesce(per_cell.revenue, 0)', 'totals.revenue', 6, numerator_scale=2, denominator_scale=2) }} as decimal(18, 6)) as revenue_share,
        {{ rfm_segment('cells.recency_grid_score', 'cells.fm_grid_score') }} as segment,
        reference.reference_date
    from cells
    cross join totals
    cross join reference
    left join per_cell
        on cells.recency_grid_score = per_cell.recency_grid_score
        and cells.fm_grid_score = per_cell.fm_grid_score

)

select * from final
