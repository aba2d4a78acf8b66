"""`rfm check`'s input recount, on hand-made manifests and small files (no dbt run)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from rfm_segmentation.checks.manifest import read_manifest
from rfm_segmentation.checks.recount import InputCount, recount_inputs
from rfm_segmentation.errors import UserError
from rfm_segmentation.exports import MANIFEST_FILE, optional_exports, required_exports

pytestmark = pytest.mark.unit


def csv_input(location: str, options: str = "") -> dict[str, object]:
    quoted = location.replace("'", "''")
    return {"kind": "file", "location": location, "format": "csv", "csv_options": "{}",
            "read_sql": f"read_csv('{quoted}', header = true, all_varchar = true, union_by_name = true{options})"}


def test_relative_paths_resolve_from_the_project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "purchases.csv").write_text("customer_id,amount\nC1,10\nC2,5\nC1,-2\n")
    (project / "data" / "crm.csv").write_text("customer_id,gender\nC1,F\nC2,M\n")
    monkeypatch.chdir(tmp_path)  # not the project: the paths must not resolve from here
    manifest = {"inputs": {"purchases": csv_input("data/purchases.csv"), "customers": csv_input("data/crm.csv")}}
    assert recount_inputs(manifest, project) == {
        "customers": InputCount("customers", "file", "data/crm.csv", 2),
        "purchases": InputCount("purchases", "file", "data/purchases.csv", 3),
    }


def test_globs_parquet_and_csv_options_are_read_as_the_build_read_them(tmp_path: Path) -> None:
    for month, rows in (("01", 2), ("02", 3)):
        (tmp_path / f"sales-{month}.csv").write_text(
            "customer_id;amount\n" + "".join(f"C{i};1,5\n" for i in range(rows)), encoding="latin-1")
    with duckdb.connect() as con:
        con.execute(f"copy (select range as n from range(7)) to '{tmp_path / 'p.parquet'}' (format parquet)")
    glob = csv_input("sales-*.csv", ", delim = ';', encoding = 'latin-1'")
    parquet = {"kind": "file", "location": "p.parquet", "format": "parquet", "csv_options": "{}",
               "read_sql": "read_parquet('p.parquet', union_by_name = true)"}
    assert recount_inputs({"inputs": {"purchases": glob}}, tmp_path)["purchases"].rows == 5
    assert recount_inputs({"inputs": {"purchases": parquet}}, tmp_path)["purchases"].rows == 7


def test_a_warehouse_table_is_not_counted_here(tmp_path: Path) -> None:
    table = {"kind": "warehouse_table", "location": "raw.sales", "format": None, "csv_options": "{}", "read_sql": None}
    count = recount_inputs({"inputs": {"purchases": table}}, tmp_path)["purchases"]
    assert count.rows is None and count.label == "warehouse_table raw.sales"


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"cannot read the purchases input 'gone\.csv' named in the export manifest"):
        recount_inputs({"inputs": {"purchases": csv_input("gone.csv")}}, tmp_path)


@pytest.mark.parametrize("manifest", [{}, {"inputs": {}}, {"inputs": {"customers": {}}},
                                      {"purchases_input": {"kind": "file"}}])
def test_a_manifest_without_the_purchases_input_asks_for_a_rebuild(tmp_path: Path, manifest: dict) -> None:
    with pytest.raises(UserError, match=r"names no purchases input .* rebuild with `dbt build`"):
        recount_inputs(manifest, tmp_path)


def test_the_manifest_must_list_every_table_a_build_always_publishes(tmp_path: Path) -> None:
    project = Path(__file__).resolve().parents[1]
    required = required_exports(project)
    assert "rpt_segment_rfm_correlation" in required and not set(optional_exports(project)) & set(required)
    for table in required:
        (tmp_path / f"{table}.parquet").write_bytes(b"")
    manifest = {"tables": [{"name": table} for table in required[1:]]}
    (tmp_path / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(UserError, match=f"does not list the table {required[0]}; rebuild"):
        read_manifest(tmp_path, project)
    manifest["tables"].insert(0, {"name": required[0]})
    (tmp_path / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert read_manifest(tmp_path, project) == manifest
