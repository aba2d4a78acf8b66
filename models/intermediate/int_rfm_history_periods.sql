{#- The period ends the history scores customers at: the ends of the last
    rfm_history_periods weeks, months or quarters before the reference date's
    own period, oldest first. Each is scored as if the reference date were
    the day after it, over the purchases dated on or before it. -#}
{{ config(enabled=rfm_history_periods() > 0) }}
{%- set periods = rfm_history_periods() -%}
{%- set grain = rfm_history_grain() -%}
{%- set lookback_days = rfm_lookback_days() -%}

with reference as (

    select * from {{ ref('int_rfm_reference_date') }}

),

series as (

    {{ dbt.generate_series(periods) }}

),

current_period as (

    select cast({{ dbt.date_trunc(grain, 'reference_date') }} as date) as current_period_start_date
    from reference

),

spine as (

    select
        cast(series.generated_number as integer) as periods_back,
        {{ rfm_add_periods(grain, '-1 * series.generated_number', 'current_period.current_period_start_date') }} as period_start_date,
        {{ rfm_add_periods(grain, '1 - series.generated_number', 'current_period.current_period_start_date') }} as next_period_start_date
    from series
    cross join current_period

),

final as (

    select
        cast({{ periods }} + 1 - periods_back as integer) as period_number,
        period_start_date,
        {{ rfm_add_days(-1, 'next_period_start_date') }} as period_end_date,
        next_period_start_date as reference_date,
        {% if lookback_days -%}
        {{ rfm_add_days(-lookback_days, 'next_period_start_date') }}
        {%- else -%}
        cast(null as date)
        {%- endif %} as lookback_start_date
    from spine

)

select * from final
