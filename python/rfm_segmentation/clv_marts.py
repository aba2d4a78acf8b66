"""The CLV tables of the dbt project: one fitted model row, and one prediction row per customer.

Called by the dbt Python models `int_clv_model_fitted` and `int_customer_clv_predicted`
(SQL marts `rpt_clv_model` and `fct_customer_clv` give them their contracts). The input is
`int_customer_clv_inputs`: whole days per customer, converted here to the time unit the
models are fitted in. A model that cannot be fitted (no repeat buyer with a positive
spend, say) does not stop the build: its parameters are null, its converged flag false
and its message says why, and the predictions that need it are null. So are the
predictions of a fit that did not converge (its parameters are kept for diagnosis).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rfm_segmentation import clv

TIME_UNIT_DAYS = {"day": 1, "week": 7}
DAYS_PER_YEAR = 365  # a 12-month horizon is 365 days, cut into 12 months of 365/12 days
EXPECTED_PURCHASE_HORIZONS_DAYS = (90, 365)

INPUT_COLUMNS = ("customer_id", "repeat_purchase_days", "first_to_last_purchase_days",
                 "first_purchase_to_reference_days", "repeat_purchase_amount")
FIT_COLUMNS = INPUT_COLUMNS[1:]  # the fits need no customer ids

MODEL_COLUMNS = (
    "reference_date", "time_unit", "customer_count",
    "bgnbd_r", "bgnbd_alpha", "bgnbd_a", "bgnbd_b", "bgnbd_log_likelihood", "bgnbd_customers_fitted",
    "bgnbd_converged", "bgnbd_message",
    "gamma_gamma_p", "gamma_gamma_q", "gamma_gamma_v", "gamma_gamma_log_likelihood",
    "gamma_gamma_customers_fitted", "gamma_gamma_converged", "gamma_gamma_message",
    "frequency_spend_correlation", "population_mean_spend", "clv_horizon_days", "annual_discount_rate",
)

MODEL_FLOAT_COLUMNS = (
    "bgnbd_r", "bgnbd_alpha", "bgnbd_a", "bgnbd_b", "bgnbd_log_likelihood",
    "gamma_gamma_p", "gamma_gamma_q", "gamma_gamma_v", "gamma_gamma_log_likelihood",
    "frequency_spend_correlation", "population_mean_spend", "annual_discount_rate",
)

PREDICTION_COLUMNS = (
    "customer_id", "repeat_purchase_days", "mean_repeat_spend", "p_alive", "expected_purchases_90d",
    "expected_purchases_365d", "expected_average_spend", "clv_12m", "clv_over_horizon",
)


@dataclass(frozen=True)
class CLVSettings:
    time_unit: str  # day | week
    horizon_days: int
    annual_discount_rate: float

    @property
    def days_per_unit(self) -> int:
        return TIME_UNIT_DAYS[self.time_unit]


def parse_settings(time_unit: object, horizon_days: object, annual_discount_rate: object) -> CLVSettings:
    """The CLV vars as dbt hands them to a Python model (rendered config, so often text)."""
    unit = str(time_unit).strip().lower()
    if unit not in TIME_UNIT_DAYS:
        raise clv.CLVInputError(f"Invalid var 'clv_time_unit': expected one of day, week, got {time_unit!r}")
    try:
        horizon = float(str(horizon_days).strip())
    except ValueError:
        horizon = math.nan
    if not (horizon.is_integer() and 1 <= horizon <= 36500):
        raise clv.CLVInputError(f"Invalid var 'clv_horizon_days': expected a whole number of days from 1 to "
                                f"36500, got {horizon_days!r}")
    try:
        rate = float(str(annual_discount_rate).strip())
    except ValueError:
        rate = math.nan
    if not (0 <= rate < 1):
        raise clv.CLVInputError(f"Invalid var 'clv_annual_discount_rate': expected a rate from 0 to below 1 "
                                f"(0.10 for 10 %), got {annual_discount_rate!r}")
    return CLVSettings(unit, int(horizon), rate)


@dataclass(frozen=True)
class _History:
    customer_id: pd.Series
    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray
    monetary_value: np.ndarray  # NaN without a repeat purchase


def _history(inputs: pd.DataFrame, settings: CLVSettings, with_ids: bool = True) -> _History:
    """The model inputs in the time unit; sorted by customer when `with_ids` (the fits need no ids:
    they merge identical customers in sorted order, so no input order changes a digit)."""
    required = INPUT_COLUMNS if with_ids else FIT_COLUMNS
    missing = [column for column in required if column not in inputs.columns]
    if missing:
        raise clv.CLVInputError("int_customer_clv_inputs: missing column(s) " + ", ".join(missing))
    # Sorted by customer, so the output order is the same for any input order (the dbt model
    # reads them sorted already: checking is cheaper than sorting again).
    ordered = inputs
    if with_ids and not inputs["customer_id"].is_monotonic_increasing:
        ordered = inputs.sort_values("customer_id", kind="stable").reset_index(drop=True)
    frequency = ordered["repeat_purchase_days"].to_numpy(dtype=np.float64)
    amount = pd.to_numeric(ordered["repeat_purchase_amount"]).to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        monetary = np.where(frequency > 0, amount / frequency, np.nan)
    unit = settings.days_per_unit
    return _History(
        ordered["customer_id"] if with_ids else pd.Series(dtype="string"),
        frequency,
        ordered["first_to_last_purchase_days"].to_numpy(dtype=np.float64) / unit,
        ordered["first_purchase_to_reference_days"].to_numpy(dtype=np.float64) / unit,
        monetary,
    )


def fit_model_table(inputs: pd.DataFrame, reference_date: dt.date, settings: CLVSettings) -> pd.DataFrame:
    """One row: both fits, their diagnostics and the settings the predictions use."""
    history = _history(inputs, settings, with_ids=False)
    row: dict[str, Any] = dict.fromkeys(MODEL_COLUMNS)
    row.update(reference_date=reference_date, time_unit=settings.time_unit, customer_count=len(history.frequency),
               clv_horizon_days=settings.horizon_days, annual_discount_rate=settings.annual_discount_rate,
               bgnbd_customers_fitted=0, bgnbd_converged=False,
               gamma_gamma_customers_fitted=0, gamma_gamma_converged=False)
    try:
        purchases = clv.fit_bgnbd(history.frequency, history.recency, history.T)
        row.update(bgnbd_r=purchases.params.r, bgnbd_alpha=purchases.params.alpha, bgnbd_a=purchases.params.a,
                   bgnbd_b=purchases.params.b, bgnbd_log_likelihood=purchases.log_likelihood,
                   bgnbd_customers_fitted=purchases.customers_fitted, bgnbd_converged=purchases.converged,
                   bgnbd_message=purchases.message)
    except clv.CLVInputError as error:
        row.update(bgnbd_message=f"not fitted: {error}")
    try:
        spend = clv.fit_gamma_gamma(history.frequency, history.monetary_value)
        row.update(gamma_gamma_p=spend.params.p, gamma_gamma_q=spend.params.q, gamma_gamma_v=spend.params.v,
                   gamma_gamma_log_likelihood=spend.log_likelihood,
                   gamma_gamma_customers_fitted=spend.customers_fitted, gamma_gamma_converged=spend.converged,
                   gamma_gamma_message=spend.message, population_mean_spend=clv.population_mean_spend(spend.params))
        row.update(frequency_spend_correlation=clv.frequency_spend_correlation(history.frequency,
                                                                               history.monetary_value))
    except clv.CLVInputError as error:
        row.update(gamma_gamma_message=f"not fitted: {error}")
    return _typed(pd.DataFrame([row], columns=list(MODEL_COLUMNS)), {
        "customer_count": "Int64", "bgnbd_customers_fitted": "Int64", "gamma_gamma_customers_fitted": "Int64",
        "clv_horizon_days": "Int64", "bgnbd_converged": "boolean", "gamma_gamma_converged": "boolean",
        "time_unit": "string", "bgnbd_message": "string", "gamma_gamma_message": "string",
    }, floats=list(MODEL_FLOAT_COLUMNS))


def _typed(frame: pd.DataFrame, types: Mapping[str, str], floats: list[str]) -> pd.DataFrame:
    """Nullable types, so a missing value reaches the database as NULL rather than NaN."""
    for column in floats:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Float64")
    return frame.astype(dict(types))


def _parameters(model: Mapping[str, Any]) -> tuple[clv.BGNBDParams | None, clv.GammaGammaParams | None]:
    # Predictions come only from a fit that converged: the parameters of one that
    # did not are published for diagnosis (with the build's warning), not used.
    def known(converged: str, *names: str) -> list[float] | None:
        values = [model.get(name) for name in names]
        if model.get(converged) is not True or any(value is None or pd.isna(value) for value in values):
            return None
        return [float(value) for value in values]

    purchases = known("bgnbd_converged", "bgnbd_r", "bgnbd_alpha", "bgnbd_a", "bgnbd_b")
    spend = known("gamma_gamma_converged", "gamma_gamma_p", "gamma_gamma_q", "gamma_gamma_v")
    return (clv.BGNBDParams(*purchases) if purchases else None,
            clv.GammaGammaParams(*spend) if spend else None)


def predict_customer_table(inputs: pd.DataFrame, model: Mapping[str, Any], settings: CLVSettings) -> pd.DataFrame:
    """Per customer: P(alive), expected purchases over 90 and 365 days, expected spend, discounted values."""
    history = _history(inputs, settings)
    purchases, spend = _parameters(model)
    n = len(history.frequency)
    nothing = np.full(n, np.nan)
    unit = settings.days_per_unit
    args = (history.frequency, history.recency, history.T)
    year = DAYS_PER_YEAR / unit
    columns: dict[str, Any] = {
        "customer_id": history.customer_id.astype("string"),
        "repeat_purchase_days": history.frequency.astype(np.int64),
        "mean_repeat_spend": history.monetary_value,
    }
    if purchases is not None and n:
        columns["p_alive"] = clv.probability_alive(purchases, *args)
        for days in EXPECTED_PURCHASE_HORIZONS_DAYS:
            columns[f"expected_purchases_{days}d"] = clv.conditional_expected_purchases(purchases, days / unit, *args)
    else:
        columns.update({"p_alive": nothing, **{f"expected_purchases_{days}d": nothing
                                               for days in EXPECTED_PURCHASE_HORIZONS_DAYS}})
    if spend is not None and n:
        columns["expected_average_spend"] = clv.expected_average_spend(spend, history.frequency,
                                                                       history.monetary_value)
    else:
        columns["expected_average_spend"] = nothing
    if purchases is not None and spend is not None and n:
        for name, days in (("clv_12m", DAYS_PER_YEAR), ("clv_over_horizon", settings.horizon_days)):
            if name == "clv_over_horizon" and days == DAYS_PER_YEAR:  # the default: the same sum again
                columns[name] = columns["clv_12m"]
                continue
            columns[name] = clv.discounted_clv(purchases, spend, *args, history.monetary_value, horizon=days / unit,
                                               year_length=year, annual_discount_rate=settings.annual_discount_rate)
    else:
        columns.update(clv_12m=nothing, clv_over_horizon=nothing)
    frame = pd.DataFrame(columns, columns=list(PREDICTION_COLUMNS))
    return _typed(frame, {"repeat_purchase_days": "Int64"},
                  floats=[column for column in PREDICTION_COLUMNS if column not in {"customer_id",
                                                                                    "repeat_purchase_days"}])
