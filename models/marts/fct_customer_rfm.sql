{#- One row per customer: RFM values, scores, cell and segment. -#}
{%- set bins = rfm_score_bins() -%}

with scored as (

    select * from {{ ref('int_customer_rfm_scored') }}

),

on_grid_scale as (

    -- The segment grid is written for 1..5: with other bin counts each score
    -- is mapped to 1..5 first.
    select
        *,
        {{ rfm_score_to_quintile('recency_score', bins) }} as recency_quintile,
        {{ rfm_score_to_quintile('frequency_score', bins) }} as frequency_quintile,
        {{ rfm_score_to_quintile('monetary_score', bins) }} as monetary_quintile
    from scored

),

combined as (

    select
        *,
        {{ rfm_fm_score('frequency_score', 'monetary_score') }} as fm_score,
        {{ rfm_fm_score('frequency_quintile', 'monetary_quintile') }} as fm_quintile
    from on_grid_scale

),

catalogue as (

    select segment, segment_key from {{ ref('dim_segments') }}

),

rated as (

    select
        customer_id,
        first_purchase_date,
        last_purchase_date,
        recency_days,
        order_count,
        monetary_amount,
        returned_amount,
        average_order_value,
        tenure_days,
        is_scored,
        recency_score,
        frequency_score,
        monetary_score,
        cast(fm_score as integer) as fm_score,
        cast(recency_score + frequency_score + monetary_score as integer) as rfm_score,
        case when is_scored then {{ rfm_cell('recency_score', 'frequency_score', 'monetary_score', bins) }} end as rfm_cell,
        case
            when not is_scored then {{ rfm_unscored_segment() }}
            else {{ rfm_segment('recency_quintile', 'fm_quintile') }}
        end as segment,
        -- the report's R x FM grid cell (dim_rfm_grid_cells): R quintile x 10 + FM quintile
        case when is_scored then recency_quintile * 10 + fm_quintile end as grid_cell_key,
        reference_date
    from combined

),

-- Whole-number keys for Power BI, whose engine compares text without regard
-- to case: its relationships join on these, never on the ids.
final as (

    select
        {{ rfm_surrogate_key('rated.customer_id') }} as customer_key,
        rated.customer_id,
        rated.first_purchase_date,
        rated.last_purchase_date,
        rated.recency_days,
        rated.order_count,
        rated.monetary_amount,
        rated.returned_amount,
        rated.average_order_value,
        rated.tenure_days,
        rated.is_scored,
        rated.recency_score,
        rated.frequency_score,
        rated.monetary_score,
        rated.fm_score,
        rated.rfm_score,
        rated.rfm_cell,
        rated.segment,
        catalogue.segment_key,
        cast(rated.grid_cell_key as integer) as grid_cell_key,
        rated.reference_date
    from rated
    left join catalogue
        on rated.segment = catalogue.segment

)

select * from final
