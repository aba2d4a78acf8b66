"""Every `rfm check` suite can fail: each case breaks one rule in a copy of a
small build's exports and asserts that exactly the expectation guarding that
rule fails, and nothing else does (so the check is specific, not just red).

The exports come from the hand data (test_hand_computed.py): six customers,
all with 'Unknown' demographics (no customer file), so every check passes on
the clean copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from helpers.hand_data import ACCEPTED_ROWS, DUPLICATE_ROWS, MAPPING, REFERENCE, REJECTED_ROWS, write_csv
from helpers.workspace import PROJECT_DIR, Workspace
from rfm_segmentation.checks import CheckReport, run_checks
from rfm_segmentation.publish import current_build_dir

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    built = Workspace(tmp_path_factory.mktemp("checks"))
    rows = ACCEPTED_ROWS + [row for row, _ in REJECTED_ROWS] + DUPLICATE_ROWS
    path = write_csv(built.root / "purchases.csv", rows)
    built.build({"purchases_path": str(path), **REFERENCE, **MAPPING})
    return built


@pytest.fixture
def exports_copy(small_build: Workspace, tmp_path: Path) -> Path:
    copy = tmp_path / "exports"
    shutil.copytree(small_build.exports, copy)
    return copy


def rewrite(exports: Path, table: str, sql: str) -> None:
    """Replace a table's Parquet file in the current build with the result of `sql` over it (as `t`)."""
    path = current_build_dir(exports) / f"{table}.parquet"
    with duckdb.connect() as con:
        con.execute(f"create table t as select * from read_parquet('{path}')")
        con.execute(f"copy ({sql}) to '{path}' (format parquet)")


def failed(report: CheckReport) -> set[tuple[str, str | None, str]]:
    return {(o.expectation, o.column, o.table) for o in report.failures}


def test_the_clean_exports_pass_every_suite(small_build: Workspace) -> None:
    report = run_checks(small_build.exports, PROJECT_DIR)
    assert report.success, report.summary()
    batches = {o.batch for o in report.outcomes}
    assert {"customers", "calendar", "purchase keys", "demographics", "reconciliation"} <= batches


ONE_CUSTOMER = "customer_id = (select min(customer_id) from t)"

CASES = {
    "gender not normalised": (
        "dim_customers", f"select * replace (case when {ONE_CUSTOMER} then 'F' else gender end as gender) from t",
        {("expect_column_values_to_be_in_set", "gender", "dim_customers")}),
    "undocumented age band": (
        "dim_customers", f"select * replace (case when {ONE_CUSTOMER} then '30-40' else age_band end as age_band) "
                         "from t",
        {("expect_column_values_to_be_in_set", "age_band", "dim_customers")}),
    "implausible age": (
        "dim_customers", f"select * replace (case when {ONE_CUSTOMER} then 150 else age_years end as age_years) "
                         "from t",
        {("expect_column_values_to_be_between", "age_years", "dim_customers")}),
    "negative age": (
        "dim_customers", f"select * replace (case when {ONE_CUSTOMER} then -1 else age_years end as age_years) "
                         "from t",
        {("expect_column_values_to_be_between", "age_years", "dim_customers")}),
    "negative recency": (
        "fct_customer_rfm", f"select * replace (case when {ONE_CUSTOMER} then -1 else recency_days end "
                            "as recency_days) from t",
        {("expect_column_values_to_be_between", "recency_days", "fct_customer_rfm")}),
    "customer without an order": (
        "fct_customer_rfm", f"select * replace (case when {ONE_CUSTOMER} then 0 else order_count end "
                            "as order_count) from t",
        {("expect_column_values_to_be_between", "order_count", "fct_customer_rfm")}),
    "calendar day twice": (
        "dim_dates", "select * from t union all (select * from t order by date_day limit 1)",
        {("expect_column_values_to_be_unique", "date_day", "dim_dates")}),
    "calendar day missing its date": (
        "dim_dates", "select * replace (case when date_day = (select min(date_day) from t) then null "
                     "else date_day end as date_day) from t",
        {("expect_column_values_to_not_be_null", "date_day", "dim_dates")}),
    "purchase key shared by two lines": (
        "fct_purchases", "select * replace (case when purchase_key = (select max(purchase_key) from t) "
                         "then (select min(purchase_key) from t) else purchase_key end as purchase_key) from t",
        {("expect_column_pair_values_to_be_equal", "row_count, distinct_keys", "fct_purchases")}),
    "purchase without a key": (
        "fct_purchases", "select * replace (case when purchase_key = (select max(purchase_key) from t) "
                         "then null else purchase_key end as purchase_key) from t",
        # count(distinct) leaves the null out, so the uniqueness check counts one key short too.
        {("expect_column_values_to_be_between", "missing_keys", "fct_purchases"),
         ("expect_column_pair_values_to_be_equal", "row_count, distinct_keys", "fct_purchases")}),
    "purchase without a customer": (
        "fct_purchases", "select * replace (case when purchase_key = (select max(purchase_key) from t) "
                         "then null else customer_id end as customer_id) from t",
        {("expect_column_values_to_be_between", "missing_customers", "fct_purchases")}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_suite_fails_on_data_made_bad_for_it(exports_copy: Path, case: str) -> None:
    table, sql, expected = CASES[case]
    rewrite(exports_copy, table, sql)
    report = run_checks(exports_copy, PROJECT_DIR)
    assert failed(report) == expected, report.summary()
