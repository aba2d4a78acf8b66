"""Customers drawn from the BG/NBD and Gamma-Gamma models, for tests and the fit benchmark.

Seeded and vectorised: the same seed gives the same customers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rfm_segmentation.clv import BGNBDParams, GammaGammaParams

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SimulatedCustomers:
    frequency: FloatArray
    recency: FloatArray
    T: FloatArray
    monetary_value: FloatArray  # mean spend of the repeat purchases; 0 without one


def simulate_customers(bgnbd: BGNBDParams, gamma_gamma: GammaGammaParams, T: npt.ArrayLike,
                       seed: int) -> SimulatedCustomers:
    """One customer per value of T (the time from their first purchase to the reference date).

    Each customer buys at a Poisson rate lambda ~ Gamma(r, 1/alpha) and, after each
    purchase, drops out for good with probability p ~ Beta(a, b) (the BG/NBD story);
    each repeat purchase spends z ~ Gamma(p_gg, 1/nu) with nu ~ Gamma(q, 1/v).
    """
    rng = np.random.default_rng(seed)
    horizon = np.asarray(T, dtype=np.float64)
    n = len(horizon)
    rate = rng.gamma(bgnbd.r, 1 / bgnbd.alpha, n)
    dropout = rng.beta(bgnbd.a, bgnbd.b, n)
    frequency = np.zeros(n)
    recency = np.zeros(n)
    clock = np.zeros(n)
    # Drop-out follows repeat purchases only: everyone is active just after the first one.
    active = np.ones(n, dtype=bool)
    while active.any():
        index = np.flatnonzero(active)
        clock[index] += rng.exponential(1 / rate[index])
        bought = clock[index] <= horizon[index]
        buyers = index[bought]
        frequency[buyers] += 1
        recency[buyers] = clock[buyers]
        active[index[~bought]] = False
        active[buyers] = rng.random(len(buyers)) >= dropout[buyers]
    scale_per_customer = rng.gamma(gamma_gamma.q, 1 / gamma_gamma.v, n)
    repeat = frequency > 0
    # The mean of x Gamma(p, 1/nu) spends is Gamma(p x, 1/(nu x)).
    monetary = np.zeros(n)
    monetary[repeat] = rng.gamma(gamma_gamma.p * frequency[repeat],
                                 1 / (scale_per_customer[repeat] * frequency[repeat]))
    return SimulatedCustomers(frequency, recency, horizon, monetary)
