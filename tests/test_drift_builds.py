"""`rfm drift` and the drift section of `rfm check` on dbt builds of generated samples:
another seed is the same population (PSI < 0.1); a shifted mix of behaviours is not (> 0.25)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.workspace import Workspace
from rfm_segmentation.checks.suites import drift_batch
from rfm_segmentation.cli import main
from rfm_segmentation.drift import compute_drift
from rfm_segmentation.publish import current_build_dir, previous_build_dir

pytestmark = pytest.mark.integration
CUSTOMERS = "3000"
SHIFTED_MIX = "one_off=0.6,new=0.02,loyal=0.03,big_spender=0.01,churned=0.25"


def build_sample(workspace: Workspace, seed: int, *mix: str) -> None:
    folder = workspace.root / f"sample-{seed}-{len(mix)}"
    assert main(["generate", "--customers", CUSTOMERS, "--seed", str(seed), "--out", str(folder), *mix]) == 0
    workspace.build({"purchases_path": str(folder / "purchases.parquet"),
                     "customers_path": str(folder / "customers.parquet"), "clv_enabled": False})


def test_drift_between_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = Workspace(tmp_path)
    build_sample(workspace, 1)
    assert main(["drift", "--exports", str(workspace.exports)]) == 0
    assert "no baseline" in capsys.readouterr().out

    build_sample(workspace, 2)
    report = compute_drift(current_build_dir(workspace.exports), previous_build_dir(workspace.exports))
    psi = {metric.name: metric.psi for metric in report.metrics}
    assert set(psi) == {"recency_days", "order_count", "monetary_amount", "segment", "R x FM cells"}
    assert all(0 < value < 0.1 for value in psi.values()), psi
    assert main(["drift", "--exports", str(workspace.exports)]) == 0
    # The drift suite of `rfm check` (build_batches also needs the CLV marts, off here to save time).
    batch = drift_batch(current_build_dir(workspace.exports), previous_build_dir(workspace.exports))
    assert batch is not None and batch.frame["psi"].max() < 0.1 and not batch.notes

    build_sample(workspace, 3, "--behaviour-mix", SHIFTED_MIX)
    capsys.readouterr()
    assert main(["drift", "--exports", str(workspace.exports)]) == 1
    out = capsys.readouterr().out
    report = compute_drift(current_build_dir(workspace.exports), previous_build_dir(workspace.exports))
    assert max(metric.psi for metric in report.metrics) > 0.25, out
    assert "FAIL" in out
    batch = drift_batch(current_build_dir(workspace.exports), previous_build_dir(workspace.exports))
    assert batch is not None and batch.frame["psi"].max() > 0.25 and batch.notes
