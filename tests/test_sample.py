"""Invariants of the default build on the committed sample."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import yaml

from helpers.workspace import EXPORTED_TABLES, PROJECT_DIR, catalogue_segments
from rfm_segmentation.exports import MANIFEST_FILE
from rfm_segmentation.report import REPORT_NAME

pytestmark = pytest.mark.integration


def test_every_catalogue_segment_is_populated(sample_build) -> None:
    counts = dict(sample_build.query("select segment, customer_count from rpt_segment_summary"))
    assert sorted(counts) == sorted(catalogue_segments())
    assert all(count > 0 for count in counts.values()), counts


def test_sample_size_and_span(sample_build) -> None:
    customers, first, last = sample_build.query(
        "select count(distinct customer_id), min(purchase_date), max(purchase_date) from fct_purchases")[0]
    assert 2000 <= customers <= 5000
    assert (last - first).days >= 730
    assert sample_build.query("select count(*) from fct_purchases")[0][0] >= 20000
    assert sample_build.query("select count(distinct store_id), count(distinct product_category) "
                              "from fct_purchases") == [(6, 7)]


def test_scores_keys_and_ranges(sample_build) -> None:
    assert sample_build.query("""
        select count(*), count(distinct customer_id),
               min(recency_score), max(recency_score), min(frequency_score), max(frequency_score),
               min(monetary_score), max(monetary_score), min(recency_days), min(order_count)
        from fct_customer_rfm where is_scored""")[0][2:] == (1, 5, 1, 5, 1, 5, 1, 1)
    rows, distinct = sample_build.query("select count(*), count(distinct customer_id) from fct_customer_rfm")[0]
    assert rows == distinct
    assert sample_build.query("select count(*) from fct_customer_rfm where not is_scored and monetary_amount > 0"
                              ) == [(0,)]


def test_ntile_buckets_differ_by_at_most_one(sample_build) -> None:
    for score in ("recency_score", "frequency_score", "monetary_score"):
        sizes = [n for (n,) in sample_build.query(
            f"select count(*) from fct_customer_rfm where is_scored group by {score}")]
        assert len(sizes) == 5 and max(sizes) - min(sizes) <= 1, (score, sizes)


def test_reference_date_is_the_day_after_the_last_purchase(sample_build) -> None:
    (reference, last), = sample_build.query(
        "select max(reference_date), (select max(purchase_date) from fct_purchases) from fct_customer_rfm")
    assert (reference - last).days == 1
    assert sample_build.manifest()["reference_date"] == str(reference)


def test_counts_reconcile_with_the_seed(sample_build) -> None:
    with (PROJECT_DIR / "seeds" / "sample_purchases.csv").open() as handle:
        input_rows = sum(1 for _ in handle) - 1
    reported = sample_build.query("select sum(row_count) from rpt_purchases_reconciliation")[0][0]
    accepted = sample_build.query("select count(*) from fct_purchases")[0][0]
    rejected = sample_build.query("select count(*) from fct_purchases_rejected")[0][0]
    duplicates = sample_build.query(
        "select row_count from rpt_purchases_reconciliation where outcome = 'duplicate_removed'")[0][0]
    assert reported == input_rows == accepted + rejected + duplicates
    assert duplicates > 0 and rejected > 0


def test_summary_adds_up(sample_build) -> None:
    customers, revenue, share = sample_build.query(
        "select sum(customer_count), sum(revenue), sum(customer_share) from rpt_segment_summary")[0]
    assert customers == sample_build.query("select count(*) from fct_customer_rfm")[0][0]
    assert revenue == sample_build.query("select sum(monetary_amount) from fct_customer_rfm")[0][0]
    assert abs(float(share) - 1.0) < 1e-4


def test_exports_match_the_contract(sample_build) -> None:
    """Each exported file has exactly the contracted columns, in order, with matching types."""
    type_map = {"varchar": "VARCHAR", "date": "DATE", "timestamp": "TIMESTAMP", "integer": "INTEGER",
                "bigint": "BIGINT", "boolean": "BOOLEAN"}
    for table in EXPORTED_TABLES:
        spec = yaml.safe_load((PROJECT_DIR / "models" / "marts" / f"{table}.yml").read_text())["models"][0]
        assert spec["config"]["contract"]["enforced"] is True
        expected = [(c["name"], type_map.get(c["data_type"], c["data_type"].upper().replace(" ", "")))
                    for c in spec["columns"]]
        path = sample_build.published / f"{table}.parquet"
        with duckdb.connect() as connection:
            described = connection.execute(f"describe select * from read_parquet('{path}')").fetchall()
        assert [(name, kind.replace(" ", "")) for name, kind, *_ in described] == expected, table
        assert all(c.get("description") for c in spec["columns"]), f"{table}: undocumented column"


def test_manifest_is_complete(sample_build) -> None:
    manifest = sample_build.manifest()
    assert sorted(t["name"] for t in manifest["tables"]) == EXPORTED_TABLES
    assert manifest["rfm_score_bins"] == 5 and manifest["rfm_scoring_method"] == "ntile"
    assert manifest["returns_handling"] == "net" and manifest["business_time_zone"] == "UTC"
    # Each input the build read, with the DuckDB read rfm check counts it again with (paths from the project).
    assert sorted(manifest["inputs"]) == ["customers", "purchases"]
    for entity, seed in (("purchases", "sample_purchases"), ("customers", "sample_customers")):
        source = manifest["inputs"][entity]
        assert (source["kind"], source["location"], source["format"]) == ("sample_seed", f"seeds/{seed}.csv", "csv")
        assert f"'seeds/{seed}.csv'" in source["read_sql"] and json.loads(source["csv_options"]) == {}
    # The pointer names the only build; it holds only the published files (CSV only on request).
    assert manifest["build_folder"] == f"builds/{manifest['build_id']}" and manifest["previous_build_id"] is None
    assert sorted(p.name for p in Path(sample_build.exports).iterdir()) == ["builds", "current", MANIFEST_FILE]
    assert sorted(p.name for p in (sample_build.exports / "builds").iterdir()) == [manifest["build_id"]]
    assert sorted(p.name for p in sample_build.published.iterdir()) == sorted(
        [f"{table}.parquet" for table in EXPORTED_TABLES] + [MANIFEST_FILE, REPORT_NAME])
