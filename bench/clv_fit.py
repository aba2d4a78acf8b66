"""Benchmark: fit BG/NBD and Gamma-Gamma on N simulated customers and predict their value.

    .venv/bin/python bench/clv_fit.py                      # 1,000,000 customers, days
    .venv/bin/python bench/clv_fit.py --customers 200000 --unit week

The customers are drawn from known parameters (rfm_segmentation.clv_simulation), with
whole-day times as the dbt models give them, so the figures include the merging of
identical customers that real data allows. Prints wall and CPU time of each step, the
parameters found against the true ones, and the peak memory of the process.
Target (issue 16): the fit of 1M customers within 60 s.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from rfm_segmentation import clv
from rfm_segmentation.clv_simulation import simulate_customers

T = TypeVar("T")

# Purchase rates of about one every five weeks, drop-out after ~1 in 4 purchases: a retail base.
TRUE_PURCHASES_PER_DAY = clv.BGNBDParams(r=0.8, alpha=6.0 * 7, a=0.9, b=3.0)
TRUE_SPEND = clv.GammaGammaParams(p=6.0, q=4.0, v=15.0)


def timed(label: str, step: Callable[[], T]) -> T:
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    print(f"{label:<34} wall {time.perf_counter() - wall:7.2f} s   cpu {time.process_time() - cpu:7.2f} s",
          flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--unit", choices=["day", "week"], default="day")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()

    days_observed = np.random.default_rng(args.seed).integers(1, 3 * 365, args.customers)
    customers = timed(f"simulate {args.customers:,} customers",
                      lambda: simulate_customers(TRUE_PURCHASES_PER_DAY, TRUE_SPEND, days_observed, seed=args.seed))
    per_unit = 7 if args.unit == "week" else 1
    # Whole days, as int_customer_clv_inputs gives them; money in cents.
    frequency = customers.frequency
    recency = np.floor(customers.recency) / per_unit
    age = customers.T / per_unit
    spend = np.round(customers.monetary_value, 2)
    distinct = len(np.unique(np.column_stack([frequency, recency, age]), axis=0))
    print(f"distinct (frequency, recency, T): {distinct:,}; repeat buyers: {int((frequency > 0).sum()):,}")

    purchases = timed("fit BG/NBD", lambda: clv.fit_bgnbd(frequency, recency, age))
    spending = timed("fit Gamma-Gamma", lambda: clv.fit_gamma_gamma(frequency, spend))
    timed("P(alive)", lambda: clv.probability_alive(purchases.params, frequency, recency, age))
    timed("expected purchases, 365 days", lambda: clv.conditional_expected_purchases(
        purchases.params, 365 / per_unit, frequency, recency, age))
    timed("CLV 12 months (12 monthly steps)", lambda: clv.discounted_clv(
        purchases.params, spending.params, frequency, recency, age, spend, horizon=365 / per_unit,
        year_length=365 / per_unit))

    truth = TRUE_PURCHASES_PER_DAY
    found = purchases.params
    print(f"BG/NBD      r {found.r:.4f} (true {truth.r})  alpha {found.alpha:.3f} (true {truth.alpha / per_unit:.3f})"
          f"  a {found.a:.4f} (true {truth.a})  b {found.b:.4f} (true {truth.b})  converged {purchases.converged}")
    print(f"Gamma-Gamma p {spending.params.p:.4f} (true {TRUE_SPEND.p})  q {spending.params.q:.4f} "
          f"(true {TRUE_SPEND.q})  v {spending.params.v:.3f} (true {TRUE_SPEND.v})  converged {spending.converged}")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
