{#- A calendar of whole years, from the first accepted purchase's year to the
    reference date's year. -#}

with purchases as (

    select * from {{ ref('fct_purchases') }}

),

reference as (

    select * from {{ ref('int_rfm_reference_date') }}

),

bounds as (

    select
        cast({{ dbt.date_trunc('year', 'min(purchases.purchase_date)') }} as date) as start_date,
        max(reference.reference_date) as reference_date,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, dbt.date_trunc('year', 'max(reference.reference_date)'))) }} as date) as end_date
    from purchases
    cross join reference

),

day_numbers as (

    -- 0 .. 999,999 days: more than the years 1900 (the earliest accepted
    -- purchase) to any reference date
    {{ rfm_numbers_below_a_million('day_number') }}

),

days as (

    select {{ rfm_add_days('day_numbers.day_number', 'bounds.start_date') }} as date_day
    from day_numbers
    cross join bounds
    where day_numbers.day_number <= {{ dbt.datediff('bounds.start_date', 'bounds.end_date', 'day') }}

),

with_weekday as (

    -- Days since Monday 2001-01-01, folded into 0..6 (Monday = 0); the double
    -- modulo keeps dates before 2001 non-negative on every engine.
    select
        date_day,
        ((({{ dbt.datediff("cast('2001-01-01' as date)", 'date_day', 'day') }}) % 7) + 7) % 7 as weekday_index
    from days

),

final as (

    select
        date_day,
        cast(extract(year from date_day) * 10000
            + extract(month from date_day) * 100
            + extract(day from date_day) as integer) as date_key,
        cast(extract(year from date_day) as integer) as year_number,
        cast(extract(quarter from date_day) as integer) as quarter_number,
        cast(extract(month from date_day) as integer) as month_number,
        case cast(extract(month from date_day) as integer)
            when 1 then 'January' when 2 then 'February' when 3 then 'March'
            when 4 then 'April' when 5 then 'May' when 6 then 'June'
            when 7 then 'July' when 8 then 'August' when 9 then 'September'
            when 10 then 'October' when 11 then 'November' else 'December'
        end as month_name,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        cast(extract(year from date_day) * 100
            + extract(month from date_day) as integer) as year_month_number,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start_date,
        -- ISO day of week: Monday = 1 .. Sunday = 7
        cast(weekday_index + 1 as integer) as day_of_week_number,
        case weekday_index
            when 0 then 'Monday' when 1 then 'Tuesday' when 2 then 'Wednesday'
            when 3 then 'Thursday' when 4 then 'Friday' when 5 then 'Saturday'
            else 'Sunday'
        end as day_name,
        weekday_index >= 5 as is_weekend,
        date_day <= bounds.reference_date as is_on_or_before_reference_date
    from with_weekday
    cross join bounds

)

select * from final
