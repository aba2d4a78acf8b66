"""`rfm check`: passes on the sample build, and names the expectation and the
table when a mart is corrupted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from helpers.workspace import EXPORTED_TABLES, PROJECT_DIR, Workspace
from rfm_segmentation.checks import run_checks
from rfm_segmentation.checks.suites import build_batches
from rfm_segmentation.exports import MANIFEST_FILE
from rfm_segmentation.publish import current_build_dir

RFM = Path(sys.executable).with_name("rfm")


def failed_summary(exports: Path) -> str:
    """Run the checks in-process (great-expectations imported once) and return the summary."""
    report = run_checks(exports, PROJECT_DIR)
    assert not report.success
    return report.summary()


def rfm_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RFM), "check", *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                          timeout=600, check=False)


@pytest.fixture
def exports_copy(sample_build: Workspace, tmp_path: Path) -> Path:
    copy = tmp_path / "exports"
    shutil.copytree(sample_build.exports, copy)
    return copy


def rewrite(exports: Path, table: str, sql: str) -> None:
    """Replace a table's Parquet file with the result of `sql` over it (as `t`)."""
    path = current_build_dir(exports) / f"{table}.parquet"
    with duckdb.connect() as con:
        con.execute(f"create table t as select * from read_parquet('{path}')")
        con.execute(f"copy ({sql}) to '{path}' (format parquet)")


@pytest.mark.integration
def test_sample_passes_and_writes_data_docs(sample_build: Workspace, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    done = rfm_check("--exports", str(sample_build.exports), "--data-docs", str(docs))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAILED" not in done.stdout
    passed, total = done.stdout.split(" expectations passed")[0].rsplit("\n", 1)[-1].split("/")
    assert passed == total and int(total) >= 30
    # The input rows were counted again from the seed file (the fourth reconciliation check).
    assert "reconciliation: 4/4 passed" in done.stdout
    assert (docs / "index.html").is_file()
    pages = list((docs / "validations").rglob("*.html"))
    assert len(pages) >= 9
    # A second run replaces the pages rather than piling them up.
    assert rfm_check("--exports", str(sample_build.exports), "--data-docs", str(docs)).returncode == 0
    assert len(list((docs / "validations").rglob("*.html"))) == len(pages)


@pytest.mark.integration
@pytest.mark.parametrize(("table", "sql", "expected"), [
    ("fct_customer_rfm", "select * from t union all (select * from t order by customer_id limit 1)",
     "FAILED expect_column_values_to_be_unique(customer_id) on fct_customer_rfm: one row per customer"),
    ("fct_customer_rfm", "select * replace (case when customer_id = (select min(customer_id) from t) then 9 "
                         "else recency_score end as recency_score) from t",
     "FAILED expect_column_values_to_be_between(recency_score) on fct_customer_rfm: scores are within 1..5"),
    ("fct_customer_rfm", "select * replace (case when customer_id = (select min(customer_id) from t) "
                         "then 'VIP' else segment end as segment) from t",
     "FAILED expect_column_values_to_be_in_set(segment) on fct_customer_rfm: every segment is in the catalogue"),
    ("fct_purchases", "select * from t where customer_id <> (select min(customer_id) from t)",
     "FAILED expect_column_pair_values_to_be_equal(accepted_rows, reported_accepted_rows) on "
     "rpt_purchases_reconciliation"),
    ("dim_customers", "select * from t where customer_id <> (select min(customer_id) from t)",
     "fct customer rfm not in dim customers: none"),
])
def test_corrupted_mart_fails_naming_expectation_and_table(exports_copy: Path, table: str, sql: str,
                                                           expected: str) -> None:
    rewrite(exports_copy, table, sql)
    summary = failed_summary(exports_copy)
    assert expected in summary, summary


@pytest.mark.integration
def test_every_exported_table_has_a_suite(sample_build: Workspace) -> None:
    batches = build_batches(sample_build.exports, PROJECT_DIR)
    checked = {table for batch in batches for table in batch.table.split(", ")}
    assert checked == set(EXPORTED_TABLES)
    correlations = [batch for batch in batches if batch.table == "rpt_segment_rfm_correlation"]
    assert correlations and len(correlations[0].frame) == 9 * len(sample_build.query(
        "select distinct segment from fct_customer_rfm"))


@pytest.mark.integration
@pytest.mark.parametrize(("sql", "expected"), [
    ("select * replace (case when measure_x = 'order_count' and measure_y = 'monetary_amount' "
     "then 1.5 else correlation end as correlation) from t",
     "FAILED expect_column_values_to_be_between(correlation) on rpt_segment_rfm_correlation: correlations are "
     "within [-1, 1]"),
    ("select * from t where not (measure_x = 'recency_days' and measure_y = 'order_count' "
     "and segment = (select min(segment) from t))",
     "segments without every pair: none"),
    ("select * from t where segment <> (select min(segment) from t)",
     "populated segments without correlations: none"),
])
def test_corrupted_correlations_fail(exports_copy: Path, sql: str, expected: str) -> None:
    rewrite(exports_copy, "rpt_segment_rfm_correlation", sql)
    summary = failed_summary(exports_copy)
    assert expected in summary, summary


@pytest.mark.integration
def test_unbalanced_ntile_buckets_fail(exports_copy: Path) -> None:
    rewrite(exports_copy, "fct_customer_rfm", """
        select * replace (case when monetary_score = 1 and row_number() over (order by customer_id) % 3 = 0
                               then 2 else monetary_score end as monetary_score) from t""")
    assert ("FAILED expect_column_values_to_be_between(bucket_size_spread) on fct_customer_rfm: "
            "NTILE buckets of each score differ in size by at most one customer") in failed_summary(exports_copy)


@pytest.mark.integration
def test_input_rows_are_counted_again_from_the_file(exports_copy: Path, tmp_path: Path) -> None:
    # the current build's own manifest: the checks read it through the pointer
    build_manifest = current_build_dir(exports_copy) / MANIFEST_FILE
    manifest = json.loads(build_manifest.read_text())
    shorter = tmp_path / "purchases.csv"
    lines = (PROJECT_DIR / "seeds" / "sample_purchases.csv").read_text().splitlines(keepends=True)
    shorter.write_text("".join(lines[:-5]))
    manifest["inputs"]["purchases"] = {
        "kind": "file", "location": str(shorter), "format": "csv", "csv_options": "{}",
        "read_sql": f"read_csv('{shorter}', header = true, all_varchar = true, union_by_name = true)"}
    build_manifest.write_text(json.dumps(manifest))
    # Through the command: a failure exits 1 with the count on stderr.
    done = rfm_check("--exports", str(exports_copy), "--no-data-docs")
    assert done.returncode == 1 and "1 expectation(s) failed" in done.stderr and "Traceback" not in done.stderr
    assert (f"FAILED expect_column_pair_values_to_be_equal(input_rows, reported_rows) on rpt_purchases_reconciliation: "
            f"every input row (file {shorter}) is accounted for") in done.stdout


@pytest.mark.unit
def test_missing_exports_are_a_clear_error(tmp_path: Path) -> None:
    done = rfm_check("--exports", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert "does not exist; run `dbt build` first" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "empty").mkdir()
    done = rfm_check("--exports", str(tmp_path / "empty"))
    assert done.returncode == 2 and f"{MANIFEST_FILE}' not found" in done.stderr
