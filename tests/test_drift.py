"""Drift between builds (`rfm drift`): the PSI formula, and the report on hand-made build folders."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pytest
from scipy.special import rel_entr

from rfm_segmentation.cli import main
from rfm_segmentation.drift import EPSILON, compute_drift, population_stability_index
from rfm_segmentation.exports import MANIFEST_FILE

pytestmark = pytest.mark.unit


def scipy_psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """PSI = KL(a||e) + KL(e||a), with the same floor on empty shares."""
    e = np.maximum(expected / expected.sum(), EPSILON)
    a = np.maximum(actual / actual.sum(), EPSILON)
    return float(np.sum(rel_entr(a, e) + rel_entr(e, a)))


@pytest.mark.parametrize("seed", range(5))
def test_the_sql_psi_equals_a_computation_with_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    expected = rng.integers(0, 500, 10).astype(float)
    actual = rng.integers(0, 500, 10).astype(float)
    expected[seed % 10] = 0  # an empty bin on each side
    actual[(seed + 3) % 10] = 0
    assert population_stability_index(list(expected), list(actual)) == pytest.approx(
        scipy_psi(expected, actual), rel=1e-12, abs=1e-15)


def test_psi_by_hand() -> None:
    # shares 0.5/0.5 against 0.25/0.75: 0.25*ln(0.5) + 0.25*ln(1.5) ... written out:
    expected = (0.25 - 0.5) * np.log(0.25 / 0.5) + (0.75 - 0.5) * np.log(0.75 / 0.5)
    assert population_stability_index([50, 50], [25, 75]) == pytest.approx(expected, rel=1e-12)
    assert population_stability_index([1, 2, 3], [10, 20, 30]) == 0


CUSTOMERS = [
    # id, recency_days, orders, spend, R, F, M, fm, segment
    ("A", 1, 1, 10.0, 5, 1, 1, 1, "New Customers"),
    ("B", 10, 2, 200.0, 4, 2, 4, 3, "Potential Loyalists"),
    ("C", 100, 3, 30.0, 3, 3, 2, 3, "Need Attention"),
    ("D", 200, 4, 500.0, 2, 4, 5, 5, "Cannot Lose Them"),
    ("E", 300, 5, 50.0, 1, 5, 3, 4, "Cannot Lose Them"),
]


def write_build(folder: Path, customers: list[tuple]) -> Path:
    folder.mkdir(parents=True)
    values = ", ".join(f"('{c[0]}', {c[1]}, {c[2]}, {c[3]}::decimal(18, 2), {c[4]}, {c[5]}, {c[6]}, {c[7]}, "
                       f"'{c[8]}', true)" for c in customers)
    with duckdb.connect() as connection:
        connection.execute(f"""copy (select * from (values {values}) as v(customer_id, recency_days, order_count,
            monetary_amount, recency_score, frequency_score, monetary_score, fm_score, segment, is_scored)
            union all select 'F', 61, 1, 0, null, null, null, null, 'No Net Spend', false)
            to '{folder / "fct_customer_rfm.parquet"}' (format parquet)""")
    (folder / MANIFEST_FILE).write_text(json.dumps({"tables": []}))
    return folder


def test_the_same_data_gives_zero(tmp_path: Path) -> None:
    report = compute_drift(write_build(tmp_path / "b", CUSTOMERS), write_build(tmp_path / "a", CUSTOMERS))
    assert [(m.name, m.psi) for m in report.metrics] == [
        ("recency_days", 0), ("order_count", 0), ("monetary_amount", 0), ("segment", 0), ("R x FM cells", 0)]
    assert len(report.metrics[-1].bins) == 25  # every cell, the empty ones included
    assert report.baseline_customers == report.current_customers == 5  # F is not scored
    assert all(move.change == 0 for move in report.boundaries)
    assert len(report.boundaries) == 12


def test_binning_at_the_baseline_boundaries_and_boundary_moves(tmp_path: Path) -> None:
    baseline = write_build(tmp_path / "a", CUSTOMERS)
    # Everyone ages 150 days: A, B move into C's bucket or below.
    aged = [(c[0], c[1] + 150, *c[2:]) for c in CUSTOMERS]
    report = compute_drift(write_build(tmp_path / "b", aged), baseline)
    recency = report.metrics[0]
    # Baseline cuts (largest days of R=5,4,3,2): 1, 10, 100, 200. Aged: 151, 160, 250, 350, 450.
    assert [(b.label, b.expected_share, b.actual_share) for b in recency.bins] == [
        ("000 <= 1", 0.2, 0.0), ("001 <= 10", 0.2, 0.0), ("002 <= 100", 0.2, 0.0),
        ("003 <= 200", 0.2, 0.4), ("004 > 200", 0.2, 0.6)]
    e, a = np.array([1, 1, 1, 1, 1.0]), np.array([0, 0, 0, 2, 3.0])
    assert recency.psi == pytest.approx(scipy_psi(e, a), rel=1e-12)
    assert recency.psi > 0.25
    assert report.metrics[1].psi == 0 and report.metrics[2].psi == 0
    moves = {(m.measure, m.between): (m.baseline, m.current) for m in report.boundaries}
    assert moves[("recency_days", "R 1|2")] == (200, 350)  # largest days with R = 2
    assert moves[("recency_days", "R 4|5")] == (1, 151)
    assert moves[("order_count", "F 1|2")] == (1, 1)


def test_rfm_drift_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = write_build(tmp_path / "a", CUSTOMERS)
    current = write_build(tmp_path / "b", [(c[0], c[1] + 150, *c[2:]) for c in CUSTOMERS])
    assert main(["drift", "--exports", str(current), "--baseline", str(baseline)]) == 1
    out, err = capsys.readouterr()
    assert "FAIL  recency_days" in out and "ok    order_count" in out
    assert "drift above --fail-above in recency_days" in err
    assert main(["drift", "--exports", str(current), "--baseline", str(baseline), "--fail-above", "100"]) == 0
    assert "warn  recency_days" in capsys.readouterr().out
    assert main(["drift", "--exports", str(current), "--baseline", str(tmp_path / "nowhere")]) == 2
    assert "--baseline" in capsys.readouterr().err
