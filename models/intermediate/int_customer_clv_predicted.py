"""Predicted value per customer from the fitted models: P(alive), expected purchases and spend, CLV.

The work is done by plain, tested functions in rfm_segmentation.clv_marts; fct_customer_clv
gives this table its contract. Built only where dbt runs Python models (see dbt_project.yml).
"""

from rfm_segmentation.clv_marts import INPUT_COLUMNS, parse_settings, predict_customer_table


def model(dbt, session):
    dbt.config(materialized="table")
    settings = parse_settings(dbt.config.get("clv_time_unit"), dbt.config.get("clv_horizon_days"),
                              dbt.config.get("clv_annual_discount_rate"))
    # Only the columns used, sorted by customer in DuckDB (the predictions come out in that order).
    inputs = dbt.ref("int_customer_clv_inputs").project(", ".join(INPUT_COLUMNS)).order("customer_id").df()
    # One row (dbt finds refs only in simple calls, so no chaining after .df()).
    fitted = dbt.ref("int_clv_model_fitted").df()
    return predict_customer_table(inputs, fitted.iloc[0].to_dict(), settings)
