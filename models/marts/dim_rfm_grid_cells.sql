{#- The 25 cells of the 1..5 R x FM grid the segment rules read, with the
    segment the rules give each: the rows and columns of the report's Grid
    page. It holds no customer figures (rpt_rfm_grid does, company-wide);
    the report counts fct_customer_rfm per cell, so that its filters and
    row-level security apply. -#}

with grid_scale as (

    select 1 as grid_score
    {%- for score in range(2, 6) %}
    union all select {{ score }}
    {%- endfor %}

),

cells as (

    select
        recency_scale.grid_score as recency_grid_score,
        fm_scale.grid_score as fm_grid_score
    from grid_scale as recency_scale
    cross join grid_scale as fm_scale

),

final as (

    select
        -- the same formula as fct_customer_rfm.grid_cell_key
        cast(recency_grid_score * 10 + fm_grid_score as integer) as grid_cell_key,
        cast(recency_grid_score as integer) as recency_grid_score,
        cast(fm_grid_score as integer) as fm_grid_score,
        {{ rfm_segment('recency_grid_score', 'fm_grid_score') }} as segment
    from cells

)

select * from final
