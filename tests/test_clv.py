"""BG/NBD and Gamma-Gamma: the published CDNOW results, hand-computed values and properties."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special

from rfm_segmentation import clv
from rfm_segmentation.clv_simulation import simulate_customers

pytestmark = pytest.mark.unit

CDNOW = Path(__file__).parent / "fixtures" / "cdnow" / "cdnow_customers_summary_with_transactions.csv"


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return pd.read_csv(CDNOW)


@pytest.fixture(scope="module")
def cdnow_fit(cdnow: pd.DataFrame) -> clv.BGNBDFit:
    return clv.fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"])


# --- published results (Fader, Hardie and Lee 2005; Fader and Hardie 2013) ---------------------


def test_cdnow_sample_is_the_published_one(cdnow: pd.DataFrame) -> None:
    assert len(cdnow) == 2357
    assert (cdnow["x"] > 0).sum() == 946  # the repeat buyers the Gamma-Gamma note fits


def test_bgnbd_matches_fader_hardie_lee_on_cdnow(cdnow_fit: clv.BGNBDFit) -> None:
    params = cdnow_fit.params
    assert (round(params.r, 3), round(params.alpha, 3), round(params.a, 3), round(params.b, 3)) == (
        0.243, 4.414, 0.793, 2.426)
    assert round(cdnow_fit.log_likelihood, 1) == -9582.4
    assert cdnow_fit.customers_fitted == 2357
    assert cdnow_fit.converged


def test_expected_purchases_of_customer_one_match_the_paper(cdnow_fit: clv.BGNBDFit) -> None:
    expected = clv.conditional_expected_purchases(cdnow_fit.params, 39, [2], [30.43], [38.86])
    assert round(float(expected[0]), 3) == 1.226


def test_gamma_gamma_matches_fader_hardie_on_cdnow_repeat_buyers(cdnow: pd.DataFrame) -> None:
    fit = clv.fit_gamma_gamma(cdnow["x"], cdnow["zbar"])
    assert fit.customers_fitted == 946
    assert fit.converged
    assert (round(fit.params.p, 2), round(fit.params.q, 2)) == (6.25, 3.74)
    # The note prints v = 15.44; the maximum is at 15.4477 (lifetimes finds 15.447 too): within
    # one unit of the last published digit.
    assert abs(fit.params.v - 15.44) < 0.01


# --- hand-computed values ------------------------------------------------------------------------

UNIT = clv.BGNBDParams(r=1.0, alpha=1.0, a=1.0, b=1.0)


def test_log_likelihood_by_hand() -> None:
    # x = 0, T = 1: B(1,1)/B(1,1) · Γ(1)·1/(Γ(1)·2) = 1/2.
    assert clv.bgnbd_log_likelihood(UNIT, [0], [0], [1]) == pytest.approx(math.log(0.5), abs=1e-15)
    # x = 1, t_x = 1, T = 2: B(1,2)/B(1,1) · 1/3² + B(2,1)/B(1,1) · 1/2² = 1/18 + 1/8.
    assert clv.bgnbd_log_likelihood(UNIT, [1], [1], [2]) == pytest.approx(math.log(1 / 18 + 1 / 8), abs=1e-15)
    # Summed over customers.
    assert clv.bgnbd_log_likelihood(UNIT, [0, 1], [0, 1], [1, 2]) == pytest.approx(
        math.log(0.5) + math.log(1 / 18 + 1 / 8), abs=1e-15)


def test_probability_alive_by_hand() -> None:
    # Odds of having dropped out: a/(b+x-1) · ((α+T)/(α+t_x))^(r+x) = 1 · (3/2)² = 9/4.
    alive = clv.probability_alive(UNIT, [1, 0], [1, 0], [2, 5])
    assert alive[0] == pytest.approx(4 / 13, abs=1e-15)
    assert alive[1] == 1.0  # no repeat purchase: cannot have dropped out


def test_expected_spend_by_hand() -> None:
    params = clv.GammaGammaParams(p=2.0, q=3.0, v=10.0)
    spend = clv.expected_average_spend(params, [0, 2, 2], [float("nan"), 20.0, -5.0])
    # x = 0: p v / (q - 1) = 10; x = 2, m = 20: 2 (10 + 40) / (4 + 2); m <= 0 is taken as 0: 2·10/6.
    assert spend.tolist() == pytest.approx([10.0, 100 / 6, 20 / 6], abs=1e-12)
    assert clv.population_mean_spend(params) == 10.0
    assert math.isnan(clv.population_mean_spend(clv.GammaGammaParams(2.0, 1.0, 10.0)))


def test_undiscounted_value_is_expected_purchases_times_spend(cdnow_fit: clv.BGNBDFit) -> None:
    spend_params = clv.GammaGammaParams(6.25, 3.74, 15.44)
    history = ([0, 2, 7], [0, 30.43, 35.0], [38.86, 38.86, 38.86])
    value = clv.discounted_clv(cdnow_fit.params, spend_params, *history, [0, 22.35, 40.0],
                               horizon=52, year_length=52, annual_discount_rate=0.0)
    purchases = clv.conditional_expected_purchases(cdnow_fit.params, 52, *history)
    spend = clv.expected_average_spend(spend_params, history[0], [0, 22.35, 40.0])
    assert value == pytest.approx(purchases * spend, rel=1e-12)


def test_discounting_month_by_month(cdnow_fit: clv.BGNBDFit) -> None:
    spend_params = clv.GammaGammaParams(6.25, 3.74, 15.44)
    history = ([2], [30.43], [38.86])
    value = clv.discounted_clv(cdnow_fit.params, spend_params, *history, [22.35],
                               horizon=52, year_length=52, annual_discount_rate=0.10)
    spend = clv.expected_average_spend(spend_params, [2], [22.35])[0]
    cumulative = [0.0] + [clv.conditional_expected_purchases(cdnow_fit.params, 52 * k / 12, *history)[0]
                          for k in range(1, 13)]
    by_hand = sum((cumulative[k] - cumulative[k - 1]) * spend / 1.10 ** (k / 12) for k in range(1, 13))
    assert value[0] == pytest.approx(by_hand, rel=1e-12)
    assert value[0] < cumulative[12] * spend


# --- properties ----------------------------------------------------------------------------------


def test_weeks_to_days_multiplies_alpha_by_seven(cdnow: pd.DataFrame, cdnow_fit: clv.BGNBDFit) -> None:
    in_days = clv.fit_bgnbd(cdnow["x"], cdnow["t_x"] * 7, cdnow["T"] * 7).params
    in_weeks = cdnow_fit.params
    assert in_days.alpha / in_weeks.alpha == pytest.approx(7, rel=1e-6)
    assert (in_days.r, in_days.a, in_days.b) == pytest.approx((in_weeks.r, in_weeks.a, in_weeks.b), rel=1e-6)
    # And so the predictions do not depend on the unit.
    weeks = clv.conditional_expected_purchases(in_weeks, 13, [2, 0], [30.43, 0], [38.86, 20])
    days = clv.conditional_expected_purchases(in_days, 91, [2, 0], [30.43 * 7, 0], [38.86 * 7, 140])
    assert days == pytest.approx(weeks, rel=1e-6)


def test_fit_does_not_depend_on_row_order(cdnow: pd.DataFrame, cdnow_fit: clv.BGNBDFit) -> None:
    shuffled = cdnow.sample(frac=1, random_state=3)
    again = clv.fit_bgnbd(shuffled["x"], shuffled["t_x"], shuffled["T"])
    assert again == cdnow_fit  # bit for bit
    spend = clv.fit_gamma_gamma(cdnow["x"], cdnow["zbar"])
    assert clv.fit_gamma_gamma(shuffled["x"], shuffled["zbar"]) == spend
    assert clv.frequency_spend_correlation(shuffled["x"], shuffled["zbar"]) == clv.frequency_spend_correlation(
        cdnow["x"], cdnow["zbar"])


def test_parameters_are_recovered_from_simulated_customers() -> None:
    truth = clv.BGNBDParams(r=0.8, alpha=6.0, a=0.9, b=3.0)
    spend_truth = clv.GammaGammaParams(p=6.0, q=4.0, v=15.0)
    observed_for = np.random.default_rng(11).uniform(20, 60, 60_000)
    customers = simulate_customers(truth, spend_truth, observed_for, seed=2005)
    fit = clv.fit_bgnbd(customers.frequency, customers.recency, customers.T)
    assert fit.converged
    found = fit.params
    assert (found.r, found.alpha, found.a, found.b) == pytest.approx((0.8, 6.0, 0.9, 3.0), rel=0.1)
    spend_fit = clv.fit_gamma_gamma(customers.frequency, customers.monetary_value)
    assert spend_fit.converged
    assert (spend_fit.params.p, spend_fit.params.q, spend_fit.params.v) == pytest.approx((6.0, 4.0, 15.0), rel=0.1)
    # Independent by construction.
    assert abs(clv.frequency_spend_correlation(customers.frequency, customers.monetary_value)) < 0.05


def test_customer_without_repeat_purchase_gets_defined_values(cdnow_fit: clv.BGNBDFit) -> None:
    spend_params = clv.GammaGammaParams(6.25, 3.74, 15.44)
    args = ([0], [0], [30.0])
    assert clv.probability_alive(cdnow_fit.params, *args).tolist() == [1.0]
    purchases = clv.conditional_expected_purchases(cdnow_fit.params, 52, *args)[0]
    assert 0 < purchases < 1
    assert clv.expected_average_spend(spend_params, [0], [float("nan")])[0] == pytest.approx(
        6.25 * 15.44 / 2.74, rel=1e-12)
    value = clv.discounted_clv(cdnow_fit.params, spend_params, *args, [0], horizon=52, year_length=52)[0]
    assert 0 < value < purchases * 6.25 * 15.44 / 2.74


def test_transformed_form_equals_the_published_formula_and_survives_large_frequencies(cdnow_fit: clv.BGNBDFit) -> None:
    p = cdnow_fit.params
    r, alpha, a, b = p.r, p.alpha, p.a, p.b

    def published(x: float, t_x: float, T: float, t: float) -> float:  # FHL 2005 eq. 10, as printed
        head = (a + b + x - 1) / (a - 1)
        tail = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * special.hyp2f1(
            r + x, b + x, a + b + x - 1, t / (alpha + T + t))
        return head * tail / (1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))

    cases = [(0, 0, 20, 10), (1, 5, 30, 52), (5, 30, 38, 13), (12, 37, 38.86, 100)]
    ours = clv.conditional_expected_purchases(p, 10, [0], [0], [20])  # one horizon per call
    assert ours[0] == pytest.approx(published(0, 0, 20, 10), rel=1e-10)
    for x, t_x, T, t in cases:
        assert clv.conditional_expected_purchases(p, t, [x], [t_x], [T])[0] == pytest.approx(
            published(x, t_x, T, t), rel=1e-9)
    # 3,000 repeat purchases: the printed form overflows, the transformed one does not.
    heavy = clv.conditional_expected_purchases(p, 52, [3000], [999], [1000])[0]
    assert math.isfinite(heavy) and heavy > 100


def test_expected_purchases_stay_finite_when_a_and_b_run_off() -> None:
    # A fit on data with the same drop-out chance for everyone sends a and b to ~1e7 (p = a/(a+b) fixed);
    # there the Euler form gives NaN. In the limit drop-out is a coin with p = 1/3 after each purchase.
    runaway = clv.BGNBDParams(r=1.12, alpha=3.117, a=1.3e7, b=2.6e7)
    expected = clv.conditional_expected_purchases(runaway, 13, [0, 3, 5], [0, 30, 30], [30, 40, 35])
    assert np.isfinite(expected).all() and (expected > 0).all()
    # x = 0, T = 30: rate ~ Gamma(1.12, 33.117) a posteriori; at most 13 weeks times its mean rate.
    assert expected[0] < 13 * 1.12 / 33.117


def test_expected_purchases_are_continuous_through_a_equal_one() -> None:
    def at(a: float) -> float:
        params = clv.BGNBDParams(r=0.5, alpha=5.0, a=a, b=2.0)
        return float(clv.conditional_expected_purchases(params, 26, [3], [20], [30])[0])

    assert at(1.0) == pytest.approx((at(1 - 1e-4) + at(1 + 1e-4)) / 2, rel=1e-6)
    assert math.isfinite(at(1.0))


def test_a_fit_that_runs_off_is_not_called_converged() -> None:
    # Nobody ever bought again: the purchase rate runs off to 0.
    fit = clv.fit_bgnbd([0, 0, 0], [0, 0, 0], [10, 20, 30])
    assert not fit.converged
    assert "ran off" in fit.message


def test_correlation_of_frequency_and_spend_by_hand() -> None:
    # Only repeat buyers with a positive spend count: the 0 and the negative rows are left out.
    assert clv.frequency_spend_correlation([1, 2, 3, 0, 4], [10, 20, 30, 0, -1]) == pytest.approx(1.0)
    assert clv.frequency_spend_correlation([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    assert math.isnan(clv.frequency_spend_correlation([1, 1], [10, 20]))


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("frequency", "recency", "T", "message"), [
    ([], [], [], "no customers"),
    ([1, -1], [1, 1], [2, 2], "frequency: row 1 is -1; it cannot be negative"),
    ([1], [-0.5], [2], "recency: row 0 is -0.5; it cannot be negative"),
    ([1, 1], [1, 3], [2, 2], "recency: row 1 is 3, after T (2)"),
    ([1.5], [1], [2], "frequency: row 0 is 1.5; it counts repeat purchases, a whole number"),
    ([0], [1], [2], "recency: row 0 is 1 with frequency 0"),
    ([1], [float("nan")], [2], "recency: row 0 is nan; every value must be a finite number"),
    ([1, 2], [1], [2, 2], "one value per customer; got 2, 1 and 2 values"),
    ([[1]], [[1]], [[2]], "frequency: expected one value per customer"),
    (["a"], [1], [2], "frequency: not numbers"),
])
def test_bad_purchase_history_is_named(frequency: list, recency: list, T: list, message: str) -> None:
    with pytest.raises(clv.CLVInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        clv.fit_bgnbd(frequency, recency, T)


def test_bad_spend_is_named() -> None:
    with pytest.raises(clv.CLVInputError, match="monetary_value: row 1 is nan for a repeat buyer"):
        clv.fit_gamma_gamma([1, 2, 3], [5.0, float("nan"), 4.0])
    with pytest.raises(clv.CLVInputError, match="1 repeat buyer.s. with a positive spend"):
        clv.fit_gamma_gamma([0, 2, 3], [0.0, 5.0, -4.0])
    with pytest.raises(clv.CLVInputError, match="annual_discount_rate"):
        clv.discounted_clv(UNIT, clv.GammaGammaParams(2, 3, 10), [0], [0], [1], [0],
                           horizon=1, year_length=1, annual_discount_rate=-1)
    with pytest.raises(clv.CLVInputError, match="horizon"):
        clv.conditional_expected_purchases(UNIT, -1, [0], [0], [1])


@pytest.mark.parametrize(("customers", "levels"), [(1, 1), (50, 3), (5_000, 40), (20_000, 20_000)])
def test_distinct_rows_are_those_of_numpy_unique(customers: int, levels: int) -> None:
    """The fits and the per-(x, T) predictions merge customers by _distinct_rows: its rows, their
    order, positions and counts must be exactly np.unique(axis=0)'s, on the dense path (few
    combinations, counted) and on the sorted path (many)."""
    rng = np.random.default_rng(levels)
    frequency = rng.integers(0, min(levels, 30), customers).astype(np.float64)
    age = rng.integers(0, levels, customers) / 7
    spend = rng.gamma(2.0, 50.0, customers).round(2)
    for columns in ((frequency,), (frequency, age), (frequency, age, spend)):
        rows, position, counts = clv._distinct_rows(*columns)
        expected, expected_position, expected_counts = np.unique(
            np.column_stack(columns), axis=0, return_inverse=True, return_counts=True)
        assert [row.tolist() for row in rows] == expected.T.tolist()
        assert position.tolist() == expected_position.reshape(-1).tolist()
        assert counts.tolist() == expected_counts.tolist()
