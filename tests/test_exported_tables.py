"""The one list of exported tables: read from the contracts' meta.powerbi_export, as dbt sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.workspace import EXPORTED_TABLES, PROJECT_DIR, Workspace
from rfm_segmentation.exports import exported_tables, optional_exports, required_exports
from rfm_segmentation.powerbi.contract import load_contract

pytestmark = pytest.mark.unit


def test_the_yaml_reader_and_dbt_agree_on_the_exported_tables(tmp_path: Path) -> None:
    """`dbt parse` (no build): the models dbt marks powerbi_export are those the package reads from YAML."""
    workspace = Workspace(tmp_path)
    result = workspace.dbt("parse")
    assert result.ok, result.output[-3000:]
    from_dbt = load_contract(PROJECT_DIR, manifest=tmp_path / "target" / "manifest.json")
    by_default = tuple(sorted(name for name, model in from_dbt.items() if not model.when_var))
    assert by_default == exported_tables(PROJECT_DIR) == tuple(EXPORTED_TABLES)
    # the same optional and on-request facts, from dbt's manifest and from the YAML
    assert {(name, model.built_when, model.when_var) for name, model in from_dbt.items()} == {
        (name, model.built_when, model.when_var) for name, model in load_contract(PROJECT_DIR).items()}


def test_optional_exports_are_exported_and_the_rest_required() -> None:
    on_request = {name for name, model in load_contract(PROJECT_DIR).items() if model.when_var}
    assert on_request == {"fct_customer_rfm_history"} and not on_request & set(EXPORTED_TABLES)
    assert set(optional_exports(PROJECT_DIR)) - on_request <= set(EXPORTED_TABLES)
    assert set(optional_exports(PROJECT_DIR)) - on_request == {
        "dim_customers", "fct_customer_clv", "rpt_clv_model", "rpt_segment_history", "rpt_segment_transitions"}
    assert set(required_exports(PROJECT_DIR)) == set(EXPORTED_TABLES) - set(optional_exports(PROJECT_DIR))
    # the marts the issue found missing from hand-kept lists
    assert {"rpt_segment_rfm_correlation", "rpt_purchases_reconciliation"} <= set(EXPORTED_TABLES)
