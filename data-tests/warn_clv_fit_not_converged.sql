-- A warning, not an error: a BG/NBD or Gamma-Gamma fit that did not converge
-- (or could not be made) gives unreliable or null predictions in
-- fct_customer_clv. The message says why: typically too few customers or
-- repeat buyers, or data with no visible drop-out.
{{ config(severity='warn', enabled=rfm_clv_enabled()) }}

with model as (

    select * from {{ ref('rpt_clv_model') }}

),

final as (

    select 'BG/NBD' as fitted_model, bgnbd_customers_fitted as customers_fitted, bgnbd_message as message
    from model
    where not bgnbd_converged

    union all

    select 'Gamma-Gamma' as fitted_model, gamma_gamma_customers_fitted as customers_fitted, gamma_gamma_message as message
    from model
    where not gamma_gamma_converged

)

select * from final
