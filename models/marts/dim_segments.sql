{#- The segment catalogue, as edited in seeds/segment_catalogue.csv. -#}

with catalogue as (

    select * from {{ ref('segment_catalogue') }}

),

final as (

    select
        -- the key fct_customer_rfm.segment_key refers to (Power BI relates on it)
        {{ rfm_surrogate_key('trim(segment)') }} as segment_key,
        trim(segment) as segment,
        cast(sort_order as integer) as sort_order,
        cast(tier as integer) as tier,
        trim(description) as description,
        trim(recommended_action) as recommended_action,
        upper(trim(color_hex)) as color_hex,
        trim(segment) = {{ rfm_unscored_segment() }} as is_unscored_segment
    from catalogue

)

select * from final
