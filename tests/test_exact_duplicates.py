"""Deduplication (issue 11): identical lines count once (exact_duplicates:
drop, the default) or each counts as a purchase (keep), and the
reconciliation balances either way; a typed Parquet file gives the same rows
and keys as the same lines in a CSV file.

The file, without an order id (an order is a distinct purchase timestamp):

    customer  purchased_at          amount  lines
    A         2024-06-01 10:00:00     5.00    3   (one written ' A ': the same after trimming)
    A         2024-06-02 10:00:00     7.00    1
    B         2024-06-01 10:00:00     4.00    2
    (blank)   2024-06-01 10:00:00     9.00    2   rejected: missing_customer_id

drop: A spends 12.00 in 2 orders, B 4.00; 3 accepted rows, 1 rejected row
standing for 2 lines, 4 duplicates removed (8 input lines).
keep: A spends 22.00 in 2 orders, B 8.00 in 1; 6 accepted rows, 2 rejected
rows, no duplicates removed (8 input lines).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from hashlib import md5 as md5_digest

import duckdb
import pytest

from helpers.hand_data import write_csv
from helpers.workspace import Workspace

pytestmark = pytest.mark.integration

HEADER = ["customer_id", "purchased_at", "amount"]
ROWS = [
    ["A", "2024-06-01 10:00:00", "5.00"],
    [" A ", "2024-06-01 10:00:00", "5.00"],
    ["A", "2024-06-01 10:00:00", "5.00"],
    ["A", "2024-06-02 10:00:00", "7.00"],
    ["B", "2024-06-01 10:00:00", "4.00"],
    ["B", "2024-06-01 10:00:00", "4.00"],
    ["", "2024-06-01 10:00:00", "9.00"],
    ["", "2024-06-01 10:00:00", "9.00"],
]
# The CLV fit needs more than a handful of customers; these files test the deduplication.
VARIABLES = {"purchases_columns": {"order_id": None}, "rfm_reference_date": "2024-06-03", "clv_enabled": False}


def md5(text: str) -> str:
    return md5_digest(text.encode()).hexdigest()


def build(workspace: Workspace, mode: str | None, rows: list[list[str]] = ROWS) -> Workspace:
    workspace.root.mkdir(parents=True, exist_ok=True)
    path = write_csv(workspace.root / "repeated.csv", rows, HEADER)
    variables = {"purchases_path": str(path), **VARIABLES}
    if mode:
        variables["exact_duplicates"] = mode
    workspace.build(variables)
    return workspace


def reconciliation(workspace: Workspace) -> dict[tuple[str, str], tuple[int, Decimal]]:
    return {(outcome, reason): (rows, amount) for outcome, reason, rows, amount, _ in
            workspace.query("select * from rpt_purchases_reconciliation")}


def test_drop_counts_identical_lines_once(workspace) -> None:
    build(workspace, None)
    customers = workspace.query("select customer_id, monetary_amount, order_count from fct_customer_rfm order by 1")
    assert customers == [("A", Decimal("12.00"), 2), ("B", Decimal("4.00"), 1)]
    assert reconciliation(workspace) == {
        ("accepted", "accepted"): (3, Decimal("16.00")),
        ("rejected", "missing_customer_id"): (1, Decimal("9.00")),
        ("duplicate_removed", "exact_duplicate"): (4, Decimal("23.00")),
    }
    # The two blank-customer lines: one rejected row standing for both.
    assert workspace.query("select customer_id_raw, source_row_count from fct_purchases_rejected") == [(None, 2)]
    keys = [key for (key,) in workspace.query("select purchase_key from fct_purchases")]
    assert sorted(keys) == sorted(md5(text) for text in ("A|2024-06-01 10:00:00|5.00", "A|2024-06-02 10:00:00|7.00",
                                                         "B|2024-06-01 10:00:00|4.00"))


def test_keep_counts_every_line(workspace) -> None:
    build(workspace, "keep")
    customers = workspace.query("select customer_id, monetary_amount, order_count from fct_customer_rfm order by 1")
    assert customers == [("A", Decimal("22.00"), 2), ("B", Decimal("8.00"), 1)]
    report = reconciliation(workspace)
    assert report == {
        ("accepted", "accepted"): (6, Decimal("30.00")),
        ("rejected", "missing_customer_id"): (2, Decimal("18.00")),
    }
    assert sum(rows for rows, _ in report.values()) == len(ROWS)

    # md5 of the trimmed text joined by '|'; the copies of a line have -2, -3 after its key.
    a1, a2, b1 = (md5(text) for text in ("A|2024-06-01 10:00:00|5.00", "A|2024-06-02 10:00:00|7.00",
                                         "B|2024-06-01 10:00:00|4.00"))
    keys = [key for (key,) in workspace.query("select purchase_key from fct_purchases")]
    assert sorted(keys) == sorted([a1, f"{a1}-2", f"{a1}-3", a2, b1, f"{b1}-2"])

    rejected = workspace.query(
        "select purchase_key, customer_id_raw, purchased_at_raw, amount_raw, source_row_count "
        "from fct_purchases_rejected order by purchase_key")
    # DuckDB reads an empty CSV field as null.
    assert [row[1:] for row in rejected] == [(None, "2024-06-01 10:00:00", "9.00", 1)] * 2
    blank = md5("<null>|2024-06-01 10:00:00|9.00")
    assert [row[0] for row in rejected] == [blank, f"{blank}-2"]


@pytest.mark.parametrize("mode", ["drop", "keep"])
def test_a_shuffled_file_gives_identical_exports(workspace, tmp_path, mode) -> None:
    first = build(workspace, mode)
    shuffled = build(Workspace(tmp_path / "shuffled"), mode, rows=list(reversed(ROWS)))
    assert shuffled.export_bytes() == first.export_bytes()


def test_typed_parquet_columns_compare_and_key_like_their_text(workspace, tmp_path) -> None:
    """A Parquet file with a timestamp and a decimal column is deduplicated on
    the typed values, and keyed on their text: the same rows and keys as the
    CSV file holding the same lines."""
    text = build(Workspace(tmp_path / "text"), None)
    path = workspace.root / "repeated.parquet"
    rows = [(customer or None, dt.datetime.fromisoformat(at), Decimal(amount)) for customer, at, amount in ROWS]
    connection = duckdb.connect()
    connection.execute("create table lines (customer_id varchar, purchased_at timestamp, amount decimal(9, 2))")
    connection.executemany("insert into lines values (?, ?, ?)", rows)
    connection.execute(f"copy lines to '{path}' (format parquet)")
    result = workspace.build({"purchases_path": str(path), **VARIABLES})
    # The memory limit is sized from the Parquet footer's row count.
    assert "DuckDB memory_limit 1GB for about 8 purchase lines" in result.output
    columns = "purchase_key, customer_id, purchased_at, amount"
    assert workspace.query(f"select {columns} from fct_purchases order by 1") == \
        text.query(f"select {columns} from fct_purchases order by 1")
    assert reconciliation(workspace) == reconciliation(text)


def test_unknown_mode_is_refused(workspace) -> None:
    path = write_csv(workspace.root / "repeated.csv", ROWS, HEADER)
    result = workspace.dbt("build", variables={"purchases_path": str(path), "exact_duplicates": "merge"})
    assert not result.ok
    assert "Invalid var 'exact_duplicates': expected one of drop, keep, got \"merge\"" in result.output
