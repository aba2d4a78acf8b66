-- A warning, not an error: Gamma-Gamma assumes that how much a customer spends
-- per purchase does not depend on how often they buy. Above 0.15 the
-- correlation of repeat purchase days and mean repeat spend says it does, and
-- expected_average_spend (and so the CLV) is biased: use it with care.
{{ config(severity='warn', enabled=rfm_clv_enabled()) }}

select frequency_spend_correlation, gamma_gamma_customers_fitted
from {{ ref('rpt_clv_model') }}
where frequency_spend_correlation > 0.15
