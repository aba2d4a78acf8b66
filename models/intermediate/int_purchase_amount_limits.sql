{#- One row: how large an amount may be before it is an outlier. A line beyond
    amount_outlier_factor x the 99.9th percentile of absolute amounts (1e12
    among tens of euros) is a typo far more often than a sale: the build warns
    (warn_amount_outliers), and amount_outliers: reject quarantines it. Null
    when the percentile is 0 (only free items): no line is then an outlier. -#}
{%- set factor = rfm_amount_outlier_factor() -%}

with usable_purchases as (

    select amount
    from {{ ref('stg_purchases') }}
    where row_reject_reason is null

),

percentile as (

    select cast({{ rfm_percentile_cont(0.999, 'abs(amount)') }} as decimal(18, 4)) as amount_p999
    from usable_purchases

),

final as (

    select
        amount_p999,
        cast({{ factor }} as decimal(18, 4)) as amount_outlier_factor,
        cast(nullif(amount_p999, 0) * {{ factor }} as decimal(28, 4)) as amount_outlier_limit
    from percentile

)

select * from final
