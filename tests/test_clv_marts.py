"""The CLV tables the dbt Python models return: settings, unfittable data, row order."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from rfm_segmentation import clv
from rfm_segmentation.clv_marts import (
    MODEL_COLUMNS,
    PREDICTION_COLUMNS,
    CLVSettings,
    fit_model_table,
    parse_settings,
    predict_customer_table,
)
from rfm_segmentation.clv_simulation import simulate_customers

pytestmark = pytest.mark.unit

REFERENCE = dt.date(2025, 7, 1)
WEEKS = CLVSettings("week", 365, 0.10)


def inputs(rows: list[tuple[str, int, int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "repeat_purchase_days", "first_to_last_purchase_days",
                                       "first_purchase_to_reference_days", "repeat_purchase_amount"])


def customers(count: int) -> pd.DataFrame:
    """Customers drawn from the models, in whole days as int_customer_clv_inputs gives them."""
    drawn = simulate_customers(clv.BGNBDParams(0.8, 42.0, 0.9, 3.0), clv.GammaGammaParams(6.0, 4.0, 15.0),
                               np.random.default_rng(1).integers(30, 700, count), seed=16)
    return inputs([(f"C{index:05d}", int(frequency), int(recency), int(age), round(frequency * spend, 2))
                   for index, (frequency, recency, age, spend) in enumerate(zip(
                       drawn.frequency, np.floor(drawn.recency), drawn.T, drawn.monetary_value, strict=True))])


def test_settings_from_dbt_config_text() -> None:
    assert parse_settings("Week", "365", "0.1") == CLVSettings("week", 365, 0.1)
    assert parse_settings("day", 730, 0) == CLVSettings("day", 730, 0.0)
    for args, message in [(("month", 365, 0.1), "clv_time_unit"), (("day", "1.5", 0.1), "clv_horizon_days"),
                          (("day", 365, "10%"), "clv_annual_discount_rate"), (("day", 365, 1), "clv_annual")]:
        with pytest.raises(clv.CLVInputError, match=f"Invalid var '{message}"):
            parse_settings(*args)


def test_one_model_row_with_every_column() -> None:
    base = customers(2000)
    model = fit_model_table(base, REFERENCE, WEEKS)
    assert list(model.columns) == list(MODEL_COLUMNS) and len(model) == 1
    row = model.iloc[0]
    assert row["customer_count"] == 2000 and row["bgnbd_customers_fitted"] == 2000
    assert row["bgnbd_converged"] and row["gamma_gamma_converged"]
    assert row["gamma_gamma_customers_fitted"] == (base["repeat_purchase_days"] > 0).sum()  # the repeat buyers
    assert row["time_unit"] == "week" and row["clv_horizon_days"] == 365


def test_no_repeat_buyer_gives_null_spend_and_a_message_not_a_failure() -> None:
    once = inputs([("A", 0, 0, 30, 0.0), ("B", 0, 0, 60, 0.0), ("C", 1, 5, 10, -8.0)])
    model = fit_model_table(once, REFERENCE, WEEKS)
    row = model.iloc[0]
    assert not row["gamma_gamma_converged"]
    assert row["gamma_gamma_message"].startswith("not fitted: monetary_value: 0 repeat buyer(s)")
    assert pd.isna(row["gamma_gamma_p"]) and pd.isna(row["frequency_spend_correlation"])
    predicted = predict_customer_table(once, row.to_dict(), WEEKS)
    assert list(predicted.columns) == list(PREDICTION_COLUMNS)
    assert predicted["expected_average_spend"].isna().all() and predicted["clv_12m"].isna().all()
    # Three customers do not identify the purchase model either: a fit that did not
    # converge is published for diagnosis, and predicts nothing.
    assert not row["bgnbd_converged"] and row["bgnbd_message"].startswith("a parameter ran off")
    assert predicted["p_alive"].isna().all() and predicted["expected_purchases_365d"].isna().all()


def test_no_customer_at_all() -> None:
    model = fit_model_table(inputs([]), REFERENCE, WEEKS)
    row = model.iloc[0]
    assert row["customer_count"] == 0 and not row["bgnbd_converged"]
    assert row["bgnbd_message"] == "not fitted: no customers: frequency, recency and T are empty"
    assert len(predict_customer_table(inputs([]), row.to_dict(), WEEKS)) == 0


def test_row_order_changes_nothing() -> None:
    base = customers(2000)
    shuffled = base.sample(frac=1, random_state=5).reset_index(drop=True)
    model = fit_model_table(base, REFERENCE, WEEKS)
    pd.testing.assert_frame_equal(fit_model_table(shuffled, REFERENCE, WEEKS), model)
    row = model.iloc[0].to_dict()
    pd.testing.assert_frame_equal(predict_customer_table(shuffled, row, WEEKS),
                                  predict_customer_table(base, row, WEEKS))


def test_days_and_weeks_predict_the_same() -> None:
    base = customers(2000)
    days = CLVSettings("day", 365, 0.10)
    in_days = predict_customer_table(base, fit_model_table(base, REFERENCE, days).iloc[0].to_dict(), days)
    in_weeks = predict_customer_table(base, fit_model_table(base, REFERENCE, WEEKS).iloc[0].to_dict(), WEEKS)
    for column in ("p_alive", "expected_purchases_90d", "expected_purchases_365d", "clv_12m"):
        assert in_days[column].to_numpy() == pytest.approx(in_weeks[column].to_numpy(), rel=1e-5), column
