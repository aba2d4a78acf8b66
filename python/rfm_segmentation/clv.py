"""Predicted customer value: BG/NBD purchases and Gamma-Gamma spend, fitted by maximum likelihood.

Plain, vectorised numpy/scipy functions, called by the dbt Python models
`int_clv_model_fitted` and `int_customer_clv_predicted` and tested on their own
(against the CDNOW results of Fader, Hardie and Lee).

Inputs per customer, as in the literature (one time unit throughout, e.g. weeks or days):

- ``frequency``: the number of *repeat* purchase days (distinct purchase days − 1);
- ``recency``: the time from the first to the last purchase (0 without a repeat purchase);
- ``T``: the time from the first purchase to the reference date;
- ``monetary_value``: the mean spend of the repeat purchases (the first purchase is left out).

References:

- P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
  way: an alternative to the Pareto/NBD model", Marketing Science 24(2), and the note
  "Implementing the BG/NBD model for customer base analysis in Excel" (the
  log-likelihood, P(alive) and the conditional expectation, eq. 10);
- P. S. Fader and B. G. S. Hardie (2013), "The Gamma-Gamma model of monetary value"
  (the likelihood and the conditional expected spend, eq. 5).

Fits are deterministic: identical customers are merged (with a count) and sorted before
the likelihood is summed, so the row order of the input never changes a digit. Time and
money are rescaled to order-one values for the optimiser and the parameters scaled back,
so changing the time unit from weeks to days multiplies alpha by 7 and leaves r, a and
b unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

from rfm_segmentation.errors import UserError

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike

# Log-parameters (time and money rescaled to order one) are kept within e^±30. A fit that
# ends beyond e^±10 has not found an optimum but a parameter running off to 0 or infinity
# (no drop-out in the data, no repeat purchase at all, ...): it is not reported as converged.
_LOG_PARAMETER_BOUND = 30.0
_LOG_PARAMETER_RUNAWAY = 10.0
# The fit is converged when no log-parameter moves the mean log-likelihood per customer by more than this.
_GRADIENT_TOLERANCE = 1e-6
# An |a − 1| below this is evaluated by interpolation (the closed form divides by a − 1).
_A_NEAR_ONE = 1e-7


class CLVInputError(UserError, ValueError):
    """Unusable model input: the message names the argument and the first bad row."""


@dataclass(frozen=True)
class BGNBDParams:
    """BG/NBD parameters: purchase rates ~ Gamma(r, alpha), drop-out probabilities ~ Beta(a, b).

    alpha is in the time unit of the data it was fitted on; r, a and b have no unit.
    """

    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class GammaGammaParams:
    """Gamma-Gamma parameters: spend per purchase ~ Gamma(p, nu), nu ~ Gamma(q, v) (v in money)."""

    p: float
    q: float
    v: float


@dataclass(frozen=True)
class BGNBDFit:
    params: BGNBDParams
    log_likelihood: float  # summed over the customers, in the data's own time unit
    customers_fitted: int
    converged: bool
    message: str  # the optimiser's, or why the fit is not trusted


@dataclass(frozen=True)
class GammaGammaFit:
    params: GammaGammaParams
    log_likelihood: float
    customers_fitted: int  # repeat buyers with a positive mean spend
    converged: bool
    message: str


# --- input checks ------------------------------------------------------------------------------


def _as_vector(name: str, values: ArrayLike) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise CLVInputError(f"{name}: not numbers ({error})") from error
    if array.ndim != 1:
        raise CLVInputError(f"{name}: expected one value per customer (a 1-D array), got shape {array.shape}")
    # + 0.0 turns -0.0 into 0.0, so equal customers are merged whatever the sign of their zeros.
    return array + 0.0


def _first_row(mask: npt.NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(mask)[0])


def _check_non_negative(name: str, values: FloatArray) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        row = _first_row(bad)
        raise CLVInputError(f"{name}: row {row} is {values[row]}; every value must be a finite number")
    negative = values < 0
    if negative.any():
        row = _first_row(negative)
        raise CLVInputError(f"{name}: row {row} is {values[row]:g}; it cannot be negative")


def validate_purchase_history(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The three BG/NBD inputs as float arrays, or CLVInputError naming the first bad row."""
    x, t_x, t_obs = (_as_vector(name, values) for name, values in
                     (("frequency", frequency), ("recency", recency), ("T", T)))
    if not (len(x) == len(t_x) == len(t_obs)):
        raise CLVInputError(f"frequency, recency and T must have one value per customer; "
                            f"got {len(x)}, {len(t_x)} and {len(t_obs)} values")
    if len(x) == 0:
        raise CLVInputError("no customers: frequency, recency and T are empty")
    for name, values in (("frequency", x), ("recency", t_x), ("T", t_obs)):
        _check_non_negative(name, values)
    fractional = x != np.floor(x)
    if fractional.any():
        row = _first_row(fractional)
        raise CLVInputError(f"frequency: row {row} is {x[row]:g}; it counts repeat purchases, a whole number")
    after_t = t_x > t_obs
    if after_t.any():
        row = _first_row(after_t)
        raise CLVInputError(f"recency: row {row} is {t_x[row]:g}, after T ({t_obs[row]:g}): the last purchase "
                            "cannot come after the reference date")
    recency_without_repeat = (x == 0) & (t_x > 0)
    if recency_without_repeat.any():
        row = _first_row(recency_without_repeat)
        raise CLVInputError(f"recency: row {row} is {t_x[row]:g} with frequency 0; without a repeat purchase "
                            "the last purchase is the first, so recency must be 0")
    return x, t_x, t_obs


def _validate_spend(frequency: ArrayLike, monetary_value: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = _as_vector("frequency", frequency)
    m = _as_vector("monetary_value", monetary_value)
    if len(x) != len(m):
        raise CLVInputError(f"frequency and monetary_value must have one value per customer; "
                            f"got {len(x)} and {len(m)} values")
    if len(x) == 0:
        raise CLVInputError("no customers: frequency and monetary_value are empty")
    _check_non_negative("frequency", x)
    fractional = x != np.floor(x)
    if fractional.any():
        row = _first_row(fractional)
        raise CLVInputError(f"frequency: row {row} is {x[row]:g}; it counts repeat purchases, a whole number")
    # Without a repeat purchase there is no repeat spend: any value (null included) is ignored.
    missing = (x > 0) & ~np.isfinite(m)
    if missing.any():
        row = _first_row(missing)
        raise CLVInputError(f"monetary_value: row {row} is {m[row]} for a repeat buyer "
                            f"(frequency {x[row]:g}); it must be a finite number")
    return x, np.where(x > 0, m, 0.0)


def _dot(left: FloatArray, right: FloatArray) -> float:
    """Sum of products, by numpy's pairwise summation: BLAS dot is no faster here and slows under load."""
    return float(np.multiply(left, right).sum())


def _distinct_rows(*columns: FloatArray) -> tuple[list[FloatArray], npt.NDArray[np.intp], FloatArray]:
    """Distinct rows in sorted order (as np.unique(axis=0) gives them), each row's position among
    them, and how many rows each stands for.

    Each value is replaced by its rank among the column's distinct values, and the ranks are
    combined into one integer whose order is that of the rows (mixed radix). When the
    combinations are few (frequency and T: some 30 × 900), they are counted with a bincount
    and decoded, with no sort of the rows at all; otherwise the integers are sorted once.
    Both are several times faster than np.unique(axis=0), which sorts a structured view.
    """
    n = len(columns[0])
    distinct = [np.unique(column) for column in columns]
    codes = np.zeros(n, dtype=np.int64)
    size, decodable = 1, True
    for column, values in zip(columns, distinct, strict=True):
        radix = max(len(values), 1)
        if size > np.iinfo(np.int64).max // radix:  # would overflow: re-rank what we have so far
            codes = np.unique(codes, return_inverse=True)[1].astype(np.int64).reshape(-1)
            size, decodable = int(codes.max(initial=0)) + 1, False
        codes = codes * radix + np.searchsorted(values, column)
        size *= radix
    if decodable and size <= 4 * n + 1024:
        per_code = np.bincount(codes, minlength=size)
        present = np.flatnonzero(per_code)
        position = np.zeros(size, dtype=np.intp)
        position[present] = np.arange(len(present))
        rows, rest = [], present
        for values in reversed(distinct):
            radix = max(len(values), 1)
            rows.append(values[rest % radix])
            rest = rest // radix
        return [np.ascontiguousarray(row) for row in reversed(rows)], position[codes], \
            per_code[present].astype(np.float64)
    _, first, inverse, counts = np.unique(codes, return_index=True, return_inverse=True, return_counts=True)
    return ([np.ascontiguousarray(column[first]) for column in columns], inverse.reshape(-1),
            counts.astype(np.float64))


def _merge_identical(*columns: FloatArray) -> tuple[list[FloatArray], FloatArray]:
    """Distinct rows in sorted order and how many customers each stands for."""
    rows, _, counts = _distinct_rows(*columns)
    return rows, counts


# --- BG/NBD ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Merged:
    """Distinct customers in sorted order, with how many each stands for.

    Terms that depend on the frequency alone (the gamma functions, which dominate the
    cost) are evaluated once per distinct frequency and summed with that frequency's
    total weight; only logarithms and exponentials run per distinct customer.
    """

    x: FloatArray
    columns: tuple[FloatArray, ...]
    weights: FloatArray
    x_values: FloatArray  # the distinct frequencies
    x_weights: FloatArray  # customers per distinct frequency
    total: float

    @classmethod
    def of(cls, x: FloatArray, *columns: FloatArray) -> _Merged:
        (x, *columns), weights = _merge_identical(x, *columns)
        x_values, x_index = np.unique(x, return_inverse=True)
        x_weights = np.bincount(x_index, weights=weights, minlength=len(x_values))
        return cls(x, tuple(columns), weights, x_values, x_weights, float(weights.sum()))


def _bgnbd_log_likelihood_and_gradient(log_params: FloatArray, data: _Merged, time_scale: float = 1.0,
                                       ) -> tuple[float, FloatArray]:
    """Summed BG/NBD log-likelihood (FHL 2005, eq. 6) and its gradient in the log-parameters.

    ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
           + ln[ (α+T)^−(r+x) + 1{x>0} a/(b+x−1) (α+t_x)^−(r+x) ]
    """
    r, alpha, a, b = np.exp(log_params)
    x, (t_x, t_obs), weights = data.x, data.columns, data.weights
    t_x, t_obs = t_x / time_scale, t_obs / time_scale
    xs, counts = data.x_values, data.x_weights
    gammaln, digamma = special.gammaln, special.digamma
    # Per distinct frequency: the gamma-function part of ln L and of its derivatives.
    frequency_part = _dot(counts, gammaln(r + xs) + gammaln(b + xs) - gammaln(a + b + xs))
    frequency_part += data.total * (-gammaln(r) + r * math.log(alpha) + gammaln(a + b) - gammaln(b))
    d_r = _dot(counts, digamma(r + xs)) + data.total * (math.log(alpha) - digamma(r))
    d_a = data.total * digamma(a + b) - _dot(counts, digamma(a + b + xs))
    d_b = (_dot(counts, digamma(b + xs)) - _dot(counts, digamma(a + b + xs))
           + data.total * (digamma(a + b) - digamma(b)))
    # Per distinct customer: the two ways of having seen x purchases by T.
    repeat = x > 0
    b_x_1 = np.where(repeat, b + x - 1, 1.0)
    log_alpha_T = np.log(alpha + t_obs)
    log_alpha_tx = np.log(alpha + t_x)
    still_active = -(r + x) * log_alpha_T
    dropped_out = np.where(repeat, math.log(a) - np.log(b_x_1) - (r + x) * log_alpha_tx, -np.inf)
    dropped_share = special.expit(dropped_out - still_active)  # weight of the second term in the sum
    active_share = 1 - dropped_share
    value = frequency_part + _dot(weights, np.logaddexp(still_active, dropped_out))
    if not math.isfinite(value):
        return -math.inf, np.zeros(4)
    d_r -= _dot(weights, active_share * log_alpha_T + dropped_share * log_alpha_tx)
    d_alpha = data.total * r / alpha - _dot(weights, (r + x) * (active_share / (alpha + t_obs)
                                                             + dropped_share / (alpha + t_x)))
    weighted_dropped = weights * dropped_share
    d_a += weighted_dropped.sum() / a
    d_b -= _dot(weighted_dropped, 1 / b_x_1)
    return float(value), np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])


def bgnbd_log_likelihood(params: BGNBDParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> float:
    """The BG/NBD log-likelihood summed over the customers (FHL 2005, eq. 6)."""
    data = _Merged.of(*validate_purchase_history(frequency, recency, T))
    return _bgnbd_log_likelihood_and_gradient(np.log([params.r, params.alpha, params.a, params.b]), data)[0]


def _minimise(objective: Callable[[FloatArray], tuple[float, FloatArray]], start: FloatArray,
              ) -> tuple[FloatArray, bool, str]:
    """Minimise a mean negative log-likelihood in the log-parameters; converged means a stationary point.

    The optimiser's own verdict is not enough: L-BFGS-B may stop on a failed line search
    ("ABNORMAL") at the optimum, or report success on a flat ridge. So the fit counts as
    converged when the gradient at the end is ~0 and no parameter ran off to 0 or infinity.
    """
    bounds = [(-_LOG_PARAMETER_BOUND, _LOG_PARAMETER_BOUND)] * len(start)
    result = optimize.minimize(objective, start, jac=True, method="L-BFGS-B", bounds=bounds,
                               options={"maxiter": 5000, "ftol": 1e-14, "gtol": 1e-10})
    value, gradient = objective(result.x)
    largest_slope = float(np.max(np.abs(gradient)))
    message = f"{result.message} (largest gradient {largest_slope:.1e} after {result.nit} iterations)"
    converged = math.isfinite(value) and largest_slope <= _GRADIENT_TOLERANCE
    if np.any(np.abs(result.x) >= _LOG_PARAMETER_RUNAWAY):
        converged = False
        message = ("a parameter ran off towards 0 or infinity (beyond e^±10 in rescaled units): the data do not "
                   f"identify it; {message}")
    return np.asarray(result.x, dtype=np.float64), converged, message


def fit_bgnbd(frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> BGNBDFit:
    """Maximum-likelihood BG/NBD parameters for these customers (see the module docstring for the inputs)."""
    data = _Merged.of(*validate_purchase_history(frequency, recency, T))
    # Time in units of the mean T: alpha is fitted near 1 whatever the unit.
    time_scale = _dot(data.weights, data.columns[1]) / data.total
    if time_scale <= 0:
        raise CLVInputError("T: every customer has T = 0 (first purchase on the reference date); nothing to fit")

    def objective(log_params: FloatArray) -> tuple[float, FloatArray]:
        value, gradient = _bgnbd_log_likelihood_and_gradient(log_params, data, time_scale)
        return -value / data.total, -gradient / data.total

    log_params, converged, message = _minimise(objective, np.zeros(4))
    r, alpha_scaled, a, b = np.exp(log_params)
    params = BGNBDParams(float(r), float(alpha_scaled * time_scale), float(a), float(b))
    log_likelihood, _ = _bgnbd_log_likelihood_and_gradient(np.log([params.r, params.alpha, params.a, params.b]), data)
    return BGNBDFit(params, log_likelihood, int(data.total), converged, message)


def _log_dropout_odds(params: BGNBDParams, x: FloatArray, t_x: FloatArray, t_obs: FloatArray) -> FloatArray:
    """ln of (a / (b + x − 1)) ((alpha + T) / (alpha + t_x))^(r + x); −inf without a repeat purchase."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    repeat = x > 0
    safe_denominator = np.where(repeat, b + x - 1, 1.0)
    odds = (math.log(a) - np.log(safe_denominator)
            + (r + x) * (np.log(alpha + t_obs) - np.log(alpha + t_x)))
    return np.where(repeat, odds, -np.inf)


def probability_alive(params: BGNBDParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> FloatArray:
    """P(still active at T | x, t_x, T); exactly 1 for a customer with no repeat purchase.

    In the BG/NBD a customer can drop out only right after a purchase, so one who never
    bought again cannot have dropped out yet.
    """
    x, t_x, t_obs = validate_purchase_history(frequency, recency, T)
    return special.expit(-_log_dropout_odds(params, x, t_x, t_obs))


@dataclass(frozen=True)
class _FrequencyAndAge:
    """Distinct (x, T) pairs and each customer's pair: the hypergeometric term of E[Y(t)] depends
    on these two alone, and a million customers share some twenty thousand pairs."""

    x: FloatArray
    t_obs: FloatArray
    index: npt.NDArray[np.intp]

    @classmethod
    def of(cls, x: FloatArray, t_obs: FloatArray) -> _FrequencyAndAge:
        (x_values, t_values), index, _ = _distinct_rows(x, t_obs)
        return cls(x_values, t_values, index)


def _expected_purchases(params: BGNBDParams, t: float, x: FloatArray, t_x: FloatArray, t_obs: FloatArray,
                        alive: FloatArray, pairs: _FrequencyAndAge | None = None) -> FloatArray:
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    pairs = pairs if pairs is not None else _FrequencyAndAge.of(x, t_obs)
    if abs(a - 1) < _A_NEAR_ONE:
        # The closed form is 0/0 at a = 1; it is smooth in a, so take the midpoint of both sides.
        below = _expected_purchases(BGNBDParams(r, alpha, 1 - 2 * _A_NEAR_ONE, b), t, x, t_x, t_obs, alive, pairs)
        above = _expected_purchases(BGNBDParams(r, alpha, 1 + 2 * _A_NEAR_ONE, b), t, x, t_x, t_obs, alive, pairs)
        return (below + above) / 2
    # FHL eq. 10 holds ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z), z = t/(alpha+T+t), which
    # overflows for large x. Pfaff's transformation turns the product into one bounded term,
    # 2F1(r+x, a-1; a+b+x-1; -t/(alpha+T)); it also holds when a and b run off to huge values, where
    # the Euler form (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z) fails. Each is the fallback of the other.
    # Evaluated once per distinct (x, T), then taken per customer.
    px, pt = pairs.x, pairs.t_obs
    transformed = special.hyp2f1(r + px, a - 1, a + b + px - 1, -t / (alpha + pt))
    failed = ~np.isfinite(transformed)
    if failed.any():
        z = t / (alpha + pt[failed] + t)
        with np.errstate(invalid="ignore", over="ignore"):
            transformed[failed] = np.power(1 - z, a - 1) * special.hyp2f1(a + b - 1 - r, a - 1,
                                                                          a + b + px[failed] - 1, z)
    return (a + b + x - 1) / (a - 1) * (1 - transformed[pairs.index]) * alive


def conditional_expected_purchases(params: BGNBDParams, horizon: float, frequency: ArrayLike,
                                   recency: ArrayLike, T: ArrayLike) -> FloatArray:
    """E[Y(horizon) | x, t_x, T]: expected purchases in the next `horizon` time units (FHL 2005, eq. 10)."""
    if not (math.isfinite(horizon) and horizon >= 0):
        raise CLVInputError(f"horizon: {horizon} is not a time of 0 or more")
    x, t_x, t_obs = validate_purchase_history(frequency, recency, T)
    if horizon == 0:
        return np.zeros_like(x)
    alive = special.expit(-_log_dropout_odds(params, x, t_x, t_obs))
    return _expected_purchases(params, horizon, x, t_x, t_obs, alive)


# --- Gamma-Gamma -------------------------------------------------------------------------------


def _gamma_gamma_log_likelihood_and_gradient(log_params: FloatArray, data: _Merged, money_scale: float = 1.0,
                                             ) -> tuple[float, FloatArray]:
    """Summed Gamma-Gamma log-likelihood of the mean spends and its gradient in the log-parameters.

    ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(v + m x)
    """
    p, q, v = np.exp(log_params)
    x, (m,), weights = data.x, data.columns, data.weights
    m = m / money_scale
    xs, counts = data.x_values, data.x_weights
    gammaln, digamma = special.gammaln, special.digamma
    pxs = p * xs
    log_v_mx = np.log(v + m * x)
    log_mx = np.log(m * x)
    value = (_dot(counts, gammaln(pxs + q) - gammaln(pxs)) + data.total * (q * math.log(v) - gammaln(q))
             + _dot(weights, p * x * log_mx - np.log(m) - (p * x + q) * log_v_mx))
    if not math.isfinite(value):
        return -math.inf, np.zeros(3)
    digamma_pxq = digamma(pxs + q)
    d_p = _dot(counts, xs * (digamma_pxq - digamma(pxs))) + _dot(weights, x * (log_mx - log_v_mx))
    d_q = _dot(counts, digamma_pxq) + data.total * (math.log(v) - digamma(q)) - _dot(weights, log_v_mx)
    d_v = data.total * q / v - _dot(weights, (p * x + q) / (v + m * x))
    return float(value), np.array([d_p * p, d_q * q, d_v * v])


def gamma_gamma_sample(frequency: ArrayLike, monetary_value: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """The customers Gamma-Gamma is fitted on: repeat buyers whose mean repeat spend is positive.

    Returns netted against purchases can leave a repeat buyer with nothing or less; such
    spend is not Gamma distributed, so these customers are left out of the fit.
    """
    x, m = _validate_spend(frequency, monetary_value)
    kept = (x > 0) & (m > 0)
    return x[kept], m[kept]


def fit_gamma_gamma(frequency: ArrayLike, monetary_value: ArrayLike) -> GammaGammaFit:
    """Maximum-likelihood Gamma-Gamma parameters, on the repeat buyers with a positive mean spend."""
    x, m = gamma_gamma_sample(frequency, monetary_value)
    if len(x) < 2:
        raise CLVInputError(f"monetary_value: {len(x)} repeat buyer(s) with a positive spend; the Gamma-Gamma "
                            "spend model needs at least two")
    data = _Merged.of(x, m)
    money_scale = _dot(data.weights, data.columns[0]) / data.total  # v is fitted in units of the mean spend

    def objective(log_params: FloatArray) -> tuple[float, FloatArray]:
        value, gradient = _gamma_gamma_log_likelihood_and_gradient(log_params, data, money_scale)
        return -value / data.total, -gradient / data.total

    log_params, converged, message = _minimise(objective, np.zeros(3))
    p, q, v_scaled = np.exp(log_params)
    params = GammaGammaParams(float(p), float(q), float(v_scaled * money_scale))
    log_likelihood, _ = _gamma_gamma_log_likelihood_and_gradient(np.log([params.p, params.q, params.v]), data)
    return GammaGammaFit(params, log_likelihood, int(data.total), converged, message)


def expected_average_spend(params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike) -> FloatArray:
    """E[spend per purchase | x, mean repeat spend] (Fader and Hardie 2013, eq. 5).

    p (v + x m) / (p x + q − 1): a weighted mean of the population mean p v / (q − 1) and
    the customer's own mean, weighted by their number of repeat purchases. A customer with
    no repeat purchase gets the population mean. A repeat buyer whose returns cancel their
    repeat spend (m ≤ 0) is taken at m = 0, which pulls the estimate below the population
    mean the more repeat purchases they made. NaN where the mean does not exist (q ≤ 1 for
    customers without a repeat purchase).
    """
    x, m = _validate_spend(frequency, monetary_value)
    p, q, v = params.p, params.q, params.v
    denominator = p * x + q - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        spend = p * (v + x * np.maximum(m, 0.0)) / denominator
    return np.where(denominator > 0, spend, np.nan)


def population_mean_spend(params: GammaGammaParams) -> float:
    """E[spend per purchase] of a customer we know nothing about: p v / (q − 1); NaN when q ≤ 1."""
    return params.p * params.v / (params.q - 1) if params.q > 1 else math.nan


# --- value -------------------------------------------------------------------------------------


def discounted_clv(bgnbd: BGNBDParams, gamma_gamma: GammaGammaParams, frequency: ArrayLike, recency: ArrayLike,
                   T: ArrayLike, monetary_value: ArrayLike, *, horizon: float, year_length: float,
                   annual_discount_rate: float = 0.10, periods_per_year: int = 12) -> FloatArray:
    """Expected spend over the next `horizon` time units, discounted to the reference date.

    The horizon is cut into periods of `year_length / periods_per_year` (months by
    default; the last one may be shorter). The purchases expected in period k,
    E[Y(t_k)] − E[Y(t_{k−1})], times the expected spend per purchase, are discounted from
    the end of the period at the annual rate compounded: / (1 + rate)^(t_k / year_length).
    With months this is monthly discounting at the equivalent monthly rate
    (1.10^(1/12) − 1 ≈ 0.80 % for 10 % a year), as in lifetimes' customer_lifetime_value
    (which takes a monthly rate and 30-day months). `year_length` is a year in the time
    unit of the data (365 days, or 365/7 weeks).
    """
    if not (math.isfinite(horizon) and horizon >= 0):
        raise CLVInputError(f"horizon: {horizon} is not a time of 0 or more")
    if not (math.isfinite(year_length) and year_length > 0):
        raise CLVInputError(f"year_length: {year_length} is not a positive time")
    if not (math.isfinite(annual_discount_rate) and annual_discount_rate > -1):
        raise CLVInputError(f"annual_discount_rate: {annual_discount_rate} must be a rate above -1 (0.10 for 10 %)")
    if periods_per_year < 1:
        raise CLVInputError(f"periods_per_year: {periods_per_year} must be 1 or more")
    x, t_x, t_obs = validate_purchase_history(frequency, recency, T)
    spend = expected_average_spend(gamma_gamma, x, monetary_value)
    if horizon == 0:
        return np.zeros_like(x)
    step = year_length / periods_per_year
    # The small tolerance keeps 365 days in 12 periods of 365/12, not 13.
    ends = [min(k * step, horizon) for k in range(1, math.ceil(horizon / step - 1e-9) + 1)]
    alive = special.expit(-_log_dropout_odds(bgnbd, x, t_x, t_obs))
    pairs = _FrequencyAndAge.of(x, t_obs)
    value = np.zeros_like(x)
    previous = np.zeros_like(x)
    for end in ends:
        cumulative = _expected_purchases(bgnbd, end, x, t_x, t_obs, alive, pairs)
        value += (cumulative - previous) / (1 + annual_discount_rate) ** (end / year_length)
        previous = cumulative
    return value * spend


def frequency_spend_correlation(frequency: ArrayLike, monetary_value: ArrayLike) -> float:
    """Pearson correlation of frequency and mean spend over the Gamma-Gamma sample.

    Gamma-Gamma assumes spend per purchase does not depend on how often one buys; a
    correlation well away from 0 (above 0.15, say) means its predictions are biased.
    NaN when fewer than two customers or either value does not vary.
    """
    x, m = gamma_gamma_sample(frequency, monetary_value)
    # A fixed order (by x, then m), so the sums are the same for any input order.
    (x, m), _, counts = _distinct_rows(x, m)
    x, m = np.repeat(x, counts.astype(np.int64)), np.repeat(m, counts.astype(np.int64))
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(m) == 0:
        return math.nan
    x_centred, m_centred = x - x.mean(), m - m.mean()
    return _dot(x_centred, m_centred) / math.sqrt(_dot(x_centred, x_centred) * _dot(m_centred, m_centred))
