{#- The nine ordered pairs of the recency, frequency and monetary values: the
    rows and columns of the report's correlation heat map. It holds names only;
    the correlations are computed by a measure over fct_customer_rfm, so that
    they follow the report's filters and row-level security. -#}

with rfm_values as (

    select 'recency_days' as value_name, 1 as value_sort_order
    union all
    select 'order_count' as value_name, 2 as value_sort_order
    union all
    select 'monetary_amount' as value_name, 3 as value_sort_order

),

final as (

    select
        cast(x.value_name as {{ dbt.type_string() }}) as measure_x,
        cast(x.value_sort_order as integer) as measure_x_sort_order,
        cast(y.value_name as {{ dbt.type_string() }}) as measure_y,
        cast(y.value_sort_order as integer) as measure_y_sort_order
    from rfm_values as x
    cross join rfm_values as y

)

select * from final
