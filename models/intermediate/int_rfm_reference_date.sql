{#- The one date every model measures from. Default: the day after the latest
    usable purchase (returns do not count), so a rebuild on the same data
    gives the same answer (current_date would not). -#}
{%- set reference_date = rfm_reference_date_var() -%}
{%- set lookback_days = rfm_lookback_days() -%}

with usable_purchases as (

    -- Exact duplicates do not move the latest date: read the staging view
    -- rather than the deduplicated one, whose aggregation is the costly part.
    select purchase_date
    from {{ ref('stg_purchases') }}
    where row_reject_reason is null
        and amount >= 0

),

reference as (

    {% if reference_date -%}
    select
        cast('{{ reference_date }}' as date) as reference_date,
        true as is_reference_date_configured
    {%- else -%}
    select
        {{ rfm_add_days(1, 'max(purchase_date)') }} as reference_date,
        false as is_reference_date_configured
    from usable_purchases
    {%- endif %}

),

final as (

    select
        reference_date,
        {% if lookback_days -%}
        {{ rfm_add_days(-lookback_days, 'reference_date') }}
        {%- else -%}
        cast(null as date)
        {%- endif %} as lookback_start_date,
        is_reference_date_configured
    from reference

)

select * from final
