{#- The purchase lines the analysis uses (returns included when they are
    netted): the RFM values and the fct_purchases mart both read them here, so
    an intermediate never reads a mart.

    A view: a table would write every accepted row once more only for its two
    readers to scan it; they filter int_purchases_screened directly. -#}
{{ config(materialized='view') }}

with screened as (

    select * from {{ ref('int_purchases_screened') }}

),

final as (

    select
        purchase_key,
        customer_id,
        order_id,
        purchased_at,
        purchase_date,
        store_id,
        product_category,
        quantity,
        amount,
        amount < 0 as is_return
    from screened
    where reject_reason is null

)

select * from final
