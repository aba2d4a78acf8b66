{#- R, F and M scores from 1 to rfm_score_bins, higher is better for all
    three. Customers whose net spend is zero or negative are not ranked: they
    would take the bottom monetary buckets from real low spenders. -#}
{%- set bins = rfm_score_bins() -%}
{%- set method = rfm_scoring_method() -%}

with customers as (

    select * from {{ ref('int_customer_rfm_values') }}

),

ranked as (

    select
        customer_id,
        {{ rfm_score('recency_days', 'lower', bins, method) }} as recency_score,
        {{ rfm_score('order_count', 'higher', bins, method) }} as frequency_score,
        {{ rfm_score('monetary_amount', 'higher', bins, method) }} as monetary_score
    from customers
    where monetary_amount > 0

),

final as (

    select
        customers.*,
        ranked.customer_id is not null as is_scored,
        cast(ranked.recency_score as integer) as recency_score,
        cast(ranked.frequency_score as integer) as frequency_score,
        cast(ranked.monetary_score as integer) as monetary_score
    from customers
    left join ranked
        on customers.customer_id = ranked.customer_id

)

select * from final
