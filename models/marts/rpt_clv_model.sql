{#- One row: the fitted BG/NBD and Gamma-Gamma models behind fct_customer_clv,
    their diagnostics and the settings used (from the Python model
    int_clv_model_fitted; this SQL layer gives it its enforced contract). -#}

with fitted as (

    select * from {{ ref('int_clv_model_fitted') }}

),

final as (

    select
        cast(reference_date as date) as reference_date,
        cast(time_unit as {{ dbt.type_string() }}) as time_unit,
        cast(customer_count as integer) as customer_count,
        cast(bgnbd_r as double) as bgnbd_r,
        cast(bgnbd_alpha as double) as bgnbd_alpha,
        cast(bgnbd_a as double) as bgnbd_a,
        cast(bgnbd_b as double) as bgnbd_b,
        cast(bgnbd_log_likelihood as double) as bgnbd_log_likelihood,
        cast(bgnbd_customers_fitted as integer) as bgnbd_customers_fitted,
        cast(bgnbd_converged as boolean) as bgnbd_converged,
        cast(bgnbd_message as {{ dbt.type_string() }}) as bgnbd_message,
        cast(gamma_gamma_p as double) as gamma_gamma_p,
        cast(gamma_gamma_q as double) as gamma_gamma_q,
        cast(gamma_gamma_v as double) as gamma_gamma_v,
        cast(gamma_gamma_log_likelihood as double) as gamma_gamma_log_likelihood,
        cast(gamma_gamma_customers_fitted as integer) as gamma_gamma_customers_fitted,
        cast(gamma_gamma_converged as boolean) as gamma_gamma_converged,
        cast(gamma_gamma_message as {{ dbt.type_string() }}) as gamma_gamma_message,
        cast(frequency_spend_correlation as double) as frequency_spend_correlation,
        cast(population_mean_spend as double) as population_mean_spend,
        cast(clv_horizon_days as integer) as clv_horizon_days,
        cast(annual_discount_rate as double) as annual_discount_rate
    from fitted

)

select * from final
