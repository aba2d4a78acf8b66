-- A warning, not an error: lines whose amount is beyond amount_outlier_factor x
-- the 99.9th percentile of absolute amounts (int_purchase_amount_limits). Often a
-- typo (1e12), sometimes real: kept unless amount_outliers is 'reject'. The end
-- of the build lists them (rfm_log_amount_outliers).
{{ config(severity='warn') }}

select
    screened.purchase_key,
    screened.customer_id,
    screened.purchase_date,
    screened.amount,
    limits.amount_outlier_limit,
    coalesce(screened.reject_reason, 'accepted') as outcome
from {{ ref('int_purchases_screened') }} as screened
cross join {{ ref('int_purchase_amount_limits') }} as limits
where abs(screened.amount) > limits.amount_outlier_limit
    and (screened.reject_reason is null or screened.reject_reason = 'amount_outlier')
