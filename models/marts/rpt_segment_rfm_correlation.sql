{#- Pairwise correlations of the recency, frequency and monetary values within
    each segment, one row per segment and pair of values (all nine pairs, so a
    matrix visual shows a full heat map). -#}

with customers as (

    select * from {{ ref('fct_customer_rfm') }}

),

rfm_values as (

    select 'recency_days' as value_name, 1 as value_sort_order
    union all
    select 'order_count' as value_name, 2 as value_sort_order
    union all
    select 'monetary_amount' as value_name, 3 as value_sort_order

),

per_segment as (

    select
        segment,
        count(*) as customer_count,
        stddev_samp(recency_days) as recency_spread,
        stddev_samp(order_count) as frequency_spread,
        stddev_samp(monetary_amount) as monetary_spread,
        corr(recency_days, order_count) as recency_frequency,
        corr(recency_days, monetary_amount) as recency_monetary,
        corr(order_count, monetary_amount) as frequency_monetary
    from customers
    group by segment

),

pairs as (

    select
        per_segment.segment,
        per_segment.customer_count,
        x.value_name as measure_x,
        x.value_sort_order as measure_x_sort_order,
        y.value_name as measure_y,
        y.value_sort_order as measure_y_sort_order,
        case x.value_name
            when 'recency_days' then per_segment.recency_spread
            when 'order_count' then per_segment.frequency_spread
            else per_segment.monetary_spread
        end as x_spread,
        case y.value_name
            when 'recency_days' then per_segment.recency_spread
            when 'order_count' then per_segment.frequency_spread
            else per_segment.monetary_spread
        end as y_spread,
        case
            when x.value_name = y.value_name then 1.0
            when x.value_name <> 'monetary_amount' and y.value_name <> 'monetary_amount'
                then per_segment.recency_frequency
            when x.value_name <> 'order_count' and y.value_name <> 'order_count'
                then per_segment.recency_monetary
            else per_segment.frequency_monetary
        end as raw_correlation
    from per_segment
    cross join rfm_values as x
    cross join rfm_values as y

),

final as (

    select
        segment,
        measure_x,
        cast(measure_x_sort_order as integer) as measure_x_sort_order,
        measure_y,
        cast(measure_y_sort_order as integer) as measure_y_sort_order,
        -- A value that does not vary (or a single customer) has no correlation:
        -- null everywhere, where DuckDB's corr() would give NaN.
        cast(case when x_spread > 0 and y_spread > 0 then raw_correlation end as decimal(9, 6)) as correlation,
        cast(customer_count as bigint) as customer_count
    from pairs

)

select * from final
