{#- One row per customer and history period end: the values, scores, cell and
    segment fct_customer_rfm gives with the reference date the day after that
    period end, each period end ranked on its own. Under NTILE the scores
    come from each period end's boundary rows (rfm_ntile_boundaries: the same
    scores as rfm_score's window, without sorting every row); under
    percent_rank from rfm_score's windows. The same macros name them. -#}
{{ config(enabled=rfm_history_periods() > 0) }}
{%- set bins = rfm_score_bins() -%}
{%- set method = rfm_scoring_method() -%}
{%- set measures = [('recency', 'recency_days', 'lower'), ('frequency', 'order_count', 'higher'), ('monetary', 'monetary_amount', 'higher')] -%}

with customers as (

    select
        *,
        monetary_amount > 0 as is_scored
    from {{ ref('int_customer_rfm_history_values') }}

),

{%- if method == 'ntile' %}

-- NTILE by each period end's boundary rows (macros/rfm/rfm_ntile_boundaries.sql):
-- the same scores as three windows, without sorting the 12 x customers rows
-- three times (bench/PROFILING.md, sixth round).
{% for name, measure, better in measures %}
{{ rfm_ntile_boundaries('(select * from customers where is_scored)', name, measure, better, bins, 'period_end_date') }}

{% endfor -%}

scored as (

    -- As int_customer_rfm_scored: customers whose net spend is zero or less
    -- are not ranked (no scores).
    select
        customers.customer_id,
        customers.period_end_date,
        customers.recency_days,
        customers.order_count,
        customers.monetary_amount,
        customers.period_revenue,
        customers.is_scored,
        {%- for name, measure, better in measures %}
        case when customers.is_scored then cast({{ rfm_ntile_from_boundaries(name, 'customers.' ~ measure, better, bins, tie_breaker='customers.customer_id') }} as integer) end as {{ name }}_score{{ ',' if not loop.last }}
        {%- endfor %}
    from customers
    {%- for name, measure, better in measures %}
    left join {{ name }}_boundaries
        on customers.period_end_date = {{ name }}_boundaries.period_end_date
    {%- endfor %}

),

{%- else %}

scored as (

    -- As int_customer_rfm_scored: customers whose net spend is zero or less
    -- are not ranked. They get a partition of their own (and no scores), so
    -- the ranks need no second pass and no join back.
    select
        customer_id,
        period_end_date,
        recency_days,
        order_count,
        monetary_amount,
        period_revenue,
        is_scored,
        {%- for name, measure, better in measures %}
        case when is_scored then cast({{ rfm_score(measure, better, bins, method, partition_by='period_end_date, is_scored') }} as integer) end as {{ name }}_score{{ ',' if not loop.last }}
        {%- endfor %}
    from customers

),

{%- endif %}

combined as (

    select
        *,
        {{ rfm_fm_score('frequency_score', 'monetary_score') }} as fm_score,
        {{ rfm_fm_score(rfm_score_to_quintile('frequency_score', bins), rfm_score_to_quintile('monetary_score', bins)) }} as fm_quintile,
        {{ rfm_score_to_quintile('recency_score', bins) }} as recency_quintile
    from scored

),

final as (

    select
        customer_id,
        period_end_date,
        recency_days,
        order_count,
        monetary_amount,
        period_revenue,
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
        end as segment
    from combined

)

select * from final
