"""fct_customer_clv and rpt_clv_model end to end on DuckDB: the sample, a warning, the switch, a bad var."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import numpy as np
import pytest

from helpers.hand_data import write_csv
from helpers.workspace import Workspace
from rfm_segmentation import clv

pytestmark = pytest.mark.integration

HEADER = ["customer_id", "purchased_at", "amount"]


def _purchase_days_from_fct_purchases(build: Workspace) -> dict[str, tuple[int, int, int, float]]:
    """The models' inputs recomputed from the exported purchases, independently of the SQL."""
    with duckdb.connect() as connection:
        rows = connection.execute(f"""
            select customer_id, purchase_date, sum(amount), bool_or(amount >= 0)
            from read_parquet('{build.published / 'fct_purchases.parquet'}') group by 1, 2""").fetchall()
        (reference,), = connection.execute(
            f"select reference_date from read_parquet('{build.published / 'rpt_clv_model.parquet'}')").fetchall()
    days: dict[str, list[tuple[dt.date, Decimal, bool]]] = {}
    for customer, day, amount, is_purchase in rows:
        days.setdefault(customer, []).append((day, amount, is_purchase))
    inputs = {}
    for customer, entries in days.items():
        purchase_days = sorted(day for day, _, is_purchase in entries if is_purchase)
        first = purchase_days[0]
        repeat_amount = float(sum((amount for day, amount, _ in entries if day > first), Decimal(0)))
        inputs[customer] = (len(purchase_days) - 1, (purchase_days[-1] - first).days, (reference - first).days,
                            repeat_amount)
    return inputs


def test_sample_fit_equals_the_python_functions_on_independent_inputs(sample_build: Workspace) -> None:
    inputs = _purchase_days_from_fct_purchases(sample_build)
    customers = sorted(inputs)
    frequency = np.array([inputs[c][0] for c in customers], dtype=float)
    recency = np.array([inputs[c][1] for c in customers], dtype=float) / 7
    age = np.array([inputs[c][2] for c in customers], dtype=float) / 7
    with np.errstate(invalid="ignore", divide="ignore"):
        spend = np.where(frequency > 0, np.array([inputs[c][3] for c in customers]) / frequency, np.nan)
    purchases = clv.fit_bgnbd(frequency, recency, age)
    spending = clv.fit_gamma_gamma(frequency, spend)

    model, = sample_build.rows("rpt_clv_model", "reference_date")
    assert model["time_unit"] == "week" and model["customer_count"] == len(customers)
    assert model["bgnbd_converged"] and model["gamma_gamma_converged"]
    found = (model["bgnbd_r"], model["bgnbd_alpha"], model["bgnbd_a"], model["bgnbd_b"])
    assert found == pytest.approx((purchases.params.r, purchases.params.alpha, purchases.params.a,
                                   purchases.params.b), rel=1e-9)
    assert (model["gamma_gamma_p"], model["gamma_gamma_q"], model["gamma_gamma_v"]) == pytest.approx(
        (spending.params.p, spending.params.q, spending.params.v), rel=1e-9)
    assert model["gamma_gamma_customers_fitted"] == spending.customers_fitted < len(customers)
    assert model["frequency_spend_correlation"] == pytest.approx(
        clv.frequency_spend_correlation(frequency, spend), rel=1e-9)

    rows = {row["customer_id"]: row for row in sample_build.rows("fct_customer_clv", "customer_id")}
    assert sorted(rows) == customers == sorted(
        row[0] for row in sample_build.query("select customer_id from fct_customer_rfm"))
    alive = clv.probability_alive(purchases.params, frequency, recency, age)
    year = clv.discounted_clv(purchases.params, spending.params, frequency, recency, age, spend,
                              horizon=365 / 7, year_length=365 / 7, annual_discount_rate=0.10)
    for index, customer in enumerate(customers):
        row = rows[customer]
        assert row["repeat_purchase_days"] == frequency[index]
        assert row["p_alive"] == pytest.approx(alive[index], rel=1e-9)
        assert row["clv_12m"] == pytest.approx(year[index], rel=1e-9)
        assert row["clv_over_horizon"] == row["clv_12m"]  # the default horizon is 12 months
        assert row["expected_purchases_365d"] >= row["expected_purchases_90d"] >= 0
        if frequency[index] == 0:
            assert row["p_alive"] == 1.0 and row["mean_repeat_spend"] is None
            assert row["expected_average_spend"] == pytest.approx(model["population_mean_spend"], rel=1e-12)


def _correlated_purchases() -> list[list[str]]:
    """Twelve customers whose spend per purchase grows with how often they buy."""
    rows = []
    for customer in range(12):
        visits = 1 + customer % 6
        for visit in range(visits + 1):
            day = dt.date(2024, 1, 3) + dt.timedelta(days=17 * visit + customer)
            rows.append([f"K{customer:02d}", f"{day} 10:00:00", f"{10 * visits + customer}.00"])
    return rows


def test_correlated_spend_warns_and_still_publishes(workspace: Workspace) -> None:
    path = write_csv(workspace.root / "purchases.csv", _correlated_purchases(), HEADER)
    result = workspace.build({"purchases_path": str(path), "clv_time_unit": "day", "clv_horizon_days": 730,
                              "clv_annual_discount_rate": 0})
    assert "Warning in test warn_clv_frequency_spend_correlated" in result.output
    model, = workspace.rows("rpt_clv_model", "reference_date")
    assert model["frequency_spend_correlation"] > 0.15
    assert (model["time_unit"], model["clv_horizon_days"], model["annual_discount_rate"]) == ("day", 730, 0.0)
    customers = workspace.rows("fct_customer_clv", "customer_id")
    assert len(customers) == 12
    for row in customers:
        if row["clv_12m"] is not None:
            # No discounting: the value is expected purchases times expected spend.
            assert row["clv_12m"] == pytest.approx(row["expected_purchases_365d"] * row["expected_average_spend"],
                                                   rel=1e-9)
            assert row["clv_over_horizon"] > row["clv_12m"]


def test_switched_off_nothing_is_built_or_published(workspace: Workspace) -> None:
    path = write_csv(workspace.root / "purchases.csv", _correlated_purchases(), HEADER)
    result = workspace.build({"purchases_path": str(path), "clv_enabled": False})
    assert "Predicted value: skipped (clv_enabled is false)" in result.output
    assert not (workspace.published / "fct_customer_clv.parquet").exists()
    assert "rpt_clv_model" not in {table["name"] for table in workspace.manifest()["tables"]}
    with duckdb.connect(str(workspace.database), read_only=True) as connection:
        tables = {name for (name,) in connection.execute("select table_name from information_schema.tables")
                  .fetchall()}
    assert not tables & {"fct_customer_clv", "rpt_clv_model", "int_clv_model_fitted", "int_customer_clv_inputs"}


@pytest.mark.parametrize(("variables", "message"), [
    ({"clv_time_unit": "month"}, "Invalid var 'clv_time_unit': expected one of day, week, got \"month\""),
    ({"clv_horizon_days": 0}, "Invalid var 'clv_horizon_days': expected a whole number of days from 1 to 36500"),
    ({"clv_annual_discount_rate": "10%"}, "Invalid var 'clv_annual_discount_rate': expected a rate from 0 to below 1"),
])
def test_bad_clv_vars_stop_the_build_naming_them(workspace: Workspace, variables: dict, message: str) -> None:
    result = workspace.dbt("build", variables=variables)
    assert not result.ok
    assert message in result.output
    assert "Traceback" not in result.output
