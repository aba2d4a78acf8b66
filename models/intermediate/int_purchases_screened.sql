{#- Every distinct input row with its final verdict: reject_reason is null for
    the rows the analysis uses. Row-level problems come first, then the
    rules that need the reference date or the customer's other rows. -#}

with purchases as (

    select * from {{ ref('int_purchases_deduplicated') }}

),

reference as (

    select * from {{ ref('int_rfm_reference_date') }}

),

-- Issue 13: the amount beyond which a line is an outlier (one row).
amount_limits as (

    select * from {{ ref('int_purchase_amount_limits') }}

),

dated as (

    select
        purchases.*,
        case
            when purchases.row_reject_reason is not null then purchases.row_reject_reason
            when purchases.purchase_date > reference.reference_date then 'purchase_after_reference_date'
            when purchases.purchase_date < reference.lookback_start_date then 'purchase_before_lookback_window'
            {%- if rfm_returns_handling() == 'exclude' %}
            when purchases.amount < 0 then 'return_excluded'
            {%- endif %}
            {%- if rfm_amount_outliers() == 'reject' %}
            -- Issue 13: kept by default (warn_amount_outliers), rejected on request.
            when abs(purchases.amount) > amount_limits.amount_outlier_limit then 'amount_outlier'
            {%- endif %}
        end as screened_reason
    from purchases
    cross join reference
    cross join amount_limits

),

with_customer_activity as (

    select
        *,
        -- Does the customer have any purchase (not a return) that is kept?
        max(case when screened_reason is null and amount >= 0 then 1 else 0 end)
            over (partition by customer_id) as has_kept_purchase
    from dated

),

final as (

    select
        purchase_key,
        {%- for column in rfm_input_spec('purchases').columns %}
        {{ column.name }}_raw,
        {%- endfor %}
        customer_id,
        purchased_at,
        purchase_date,
        amount,
        order_id,
        quantity,
        store_id,
        product_category,
        source_row_count,
        case
            when screened_reason is not null then screened_reason
            -- A refund with no purchase in scope would make a customer out of
            -- nothing but a negative amount.
            when amount < 0 and has_kept_purchase = 0 then 'return_without_purchase'
        end as reject_reason
    from with_customer_activity

)

select * from final
