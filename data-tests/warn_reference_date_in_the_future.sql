-- A warning, not an error: a reference date after today usually comes from a
-- mistyped purchase date (2204 for 2024) that became the latest purchase and
-- would make every customer look lost. Check the latest rows of fct_purchases,
-- or set rfm_reference_date.
{{ config(severity='warn') }}

select
    reference_date,
    cast('{{ run_started_at.strftime("%Y-%m-%d") }}' as date) as run_date
from {{ ref('int_rfm_reference_date') }}
where reference_date > cast({{ dbt.dateadd('day', 1, "cast('" ~ run_started_at.strftime("%Y-%m-%d") ~ "' as date)") }} as date)
