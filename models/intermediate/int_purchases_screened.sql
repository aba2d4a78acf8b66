{#- Every distinct input row with its final verdict: reject_reason is null for
    the rows the analysis uses. Row-level problems come first, then the
    rules that need the reference date or the customer's other rows.

    The only table with a row per distinct input row: the comparison values
    are typed here, once per distinct row, and the untrimmed input text is
    not carried (fct_purchases_rejected reads it again for the rejected rows). -#}
{%- set layout = rfm_purchases_layout() -%}

with deduplicated as (

    select * from {{ ref('int_purchases_deduplicated') }}

),

reference as (

    select * from {{ ref('int_rfm_reference_date') }}

),

-- Issue 13: the amount beyond which a line is an outlier (one row).
amount_limits as (

    select * from {{ ref('int_purchase_amount_limits') }}

),

{{ rfm_purchases_typed_ctes(layout, 'deduplicated') }},

dated as (

    select
        purchases_typed.*,
        case
            when purchases_typed.row_reject_reason is not null then purchases_typed.row_reject_reason
            when purchases_typed.purchase_date > reference.reference_date then 'purchase_after_reference_date'
            when purchases_typed.purchase_date < reference.lookback_start_date then 'purchase_before_lookback_window'
            {%- if rfm_returns_handling() == 'exclude' %}
            when purchases_typed.amount < 0 then 'return_excluded'
            {%- endif %}
            {%- if rfm_amount_outliers() == 'reject' %}
            -- Issue 13: kept by default (warn_amount_outliers), rejected on request.
            when abs(purchases_typed.amount) > amount_limits.amount_outlier_limit then 'amount_outlier'
            {%- endif %}
        end as screened_reason
    from purchases_typed
    cross join reference
    cross join amount_limits

),

customers_with_kept_purchase as (

    -- Customers with a purchase (not a return) that is kept: an aggregate
    -- over the typed input rows (duplicates do not change who has one),
    -- joined below, rather than a window over every row of this table.
    select purchases.customer_id
    from {{ ref('stg_purchases') }} as purchases
    cross join reference
    cross join amount_limits
    where purchases.row_reject_reason is null
        and purchases.amount >= 0
        and purchases.purchase_date <= reference.reference_date
        and (reference.lookback_start_date is null or purchases.purchase_date >= reference.lookback_start_date)
        {%- if rfm_amount_outliers() == 'reject' %}
        and (amount_limits.amount_outlier_limit is null or abs(purchases.amount) <= amount_limits.amount_outlier_limit)
        {%- endif %}
    group by purchases.customer_id

),

final as (

    select
        {{ rfm_purchase_key(layout, none if rfm_exact_duplicates() == 'drop' else 'dated.copy_number') }} as purchase_key,
        dated.customer_id,
        dated.purchased_at,
        dated.purchase_date,
        dated.amount,
        dated.order_id,
        dated.quantity,
        dated.store_id,
        dated.product_category,
        dated.source_row_count,
        case
            when dated.screened_reason is not null then dated.screened_reason
            -- A refund with no purchase in scope would make a customer out of
            -- nothing but a negative amount.
            when dated.amount < 0 and customers_with_kept_purchase.customer_id is null then 'return_without_purchase'
        end as reject_reason
    from dated
    left join customers_with_kept_purchase
        on dated.customer_id = customers_with_kept_purchase.customer_id

)

select * from final
