"""The BG/NBD and Gamma-Gamma models fitted on every customer: one row of parameters and diagnostics.

The work is done by plain, tested functions in rfm_segmentation.clv_marts; rpt_clv_model
gives this row its contract. Built only where dbt runs Python models (see dbt_project.yml).
"""

from rfm_segmentation.clv_marts import FIT_COLUMNS, fit_model_table, parse_settings


def model(dbt, session):
    dbt.config(materialized="table")
    settings = parse_settings(dbt.config.get("clv_time_unit"), dbt.config.get("clv_horizon_days"),
                              dbt.config.get("clv_annual_discount_rate"))
    # The four numbers the fits read, without the customer ids: no text crosses over.
    inputs = dbt.ref("int_customer_clv_inputs").project(", ".join(FIT_COLUMNS)).df()
    (reference_date,), = dbt.ref("int_rfm_reference_date").project("reference_date").fetchall()
    return fit_model_table(inputs, reference_date, settings)
