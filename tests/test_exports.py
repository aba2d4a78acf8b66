"""Exports are published only by a build that passed, all together, manifest last."""

from __future__ import annotations

import csv

import pyarrow.parquet
import pytest

from helpers.hand_data import ACCEPTED_ROWS, MAPPING, REFERENCE, write_csv
from helpers.workspace import EXPORTED_TABLES
from rfm_segmentation.exports import MANIFEST_FILE

pytestmark = pytest.mark.integration


def test_failed_build_leaves_previous_exports_untouched(workspace) -> None:
    path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    workspace.build({"purchases_path": str(path), **REFERENCE, **MAPPING})
    before = workspace.export_bytes()
    manifest = (workspace.exports / MANIFEST_FILE).read_bytes()

    # A reference date before every purchase rejects them all: the models
    # build, but the not_empty test on fct_customer_rfm fails.
    result = workspace.dbt("build", variables={"purchases_path": str(path), **MAPPING,
                                               "rfm_reference_date": "2020-01-01"})
    assert not result.ok
    assert "Exports: NOT published" in result.output
    assert "1 failed (fct_customer_rfm_has_customers)" in result.output
    assert workspace.export_bytes() == before
    assert (workspace.exports / MANIFEST_FILE).read_bytes() == manifest
    assert [p.name for p in (workspace.exports / "builds").iterdir()] == [workspace.manifest()["build_id"]]


def test_partial_run_does_not_publish(workspace) -> None:
    path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    result = workspace.dbt("build", "--select", "+fct_purchases", "--indirect-selection", "cautious",
                           variables={"purchases_path": str(path), **REFERENCE, **MAPPING})
    assert result.ok, result.output[-3000:]
    # fct_purchases reads customer_key from fct_customer_rfm, so the selection builds those two and dim_segments
    assert ("not built by this run: dim_customers, dim_dates, dim_rfm_grid_cells, dim_rfm_value_pairs, "
            "fct_customer_clv, fct_purchases_rejected") in result.output
    assert not workspace.exports.exists()


def test_csv_exports_on_request(workspace) -> None:
    path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    workspace.build({"purchases_path": str(path), **REFERENCE, **MAPPING, "export_csv": True})
    for table in EXPORTED_TABLES:
        with (workspace.published / f"{table}.csv").open() as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == workspace.query(f"select count(*) from {table}")[0][0], table
    with (workspace.published / "fct_customer_rfm.csv").open() as handle:
        customers = {row["customer_id"]: row for row in csv.DictReader(handle)}
    assert customers["D"]["monetary_amount"] == "500.00" and customers["D"]["segment"] == "Cannot Lose Them"
    assert parquet_codecs(workspace.published / "fct_customer_rfm.parquet") == {"SNAPPY"}  # the default


def parquet_codecs(path) -> set[str]:
    metadata = pyarrow.parquet.ParquetFile(path).metadata
    return {metadata.row_group(group).column(index).compression
            for group in range(metadata.num_row_groups) for index in range(metadata.num_columns)}


def test_parquet_compression_is_a_setting(workspace) -> None:
    path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    workspace.build({"purchases_path": str(path), **REFERENCE, **MAPPING, "export_parquet_compression": "zstd"})
    assert parquet_codecs(workspace.published / "fct_customer_rfm.parquet") == {"ZSTD"}


def test_publishing_without_the_plugin_says_how_to_fix_it(workspace) -> None:
    profiles = workspace.root / "profile"
    profiles.mkdir()
    (profiles / "profiles.yml").write_text("""
rfm_segmentation:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('RFM_DUCKDB_PATH') }}"
""")
    path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    result = workspace.dbt("build", variables={"purchases_path": str(path), **REFERENCE, **MAPPING},
                           profiles_dir=profiles)
    assert not result.ok
    assert "Exports need the rfm_segmentation dbt-duckdb plugin" in result.output
    assert "Traceback" not in result.output
    ok = workspace.dbt("build", variables={"purchases_path": str(path), **REFERENCE, **MAPPING,
                                           "publish_exports": False}, profiles_dir=profiles)
    assert ok.ok and "not published (publish_exports is false)" in ok.output
