"""Input variants: warehouse tables, globs and date formats, unmapped columns,
old and mistyped dates, zone names in text."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from helpers.hand_data import ACCEPTED_ROWS, MAPPING, REFERENCE, write_csv
from helpers.workspace import Workspace

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def csv_build(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    built = Workspace(tmp_path_factory.mktemp("csv"))
    built.build({"purchases_path": str(write_csv(built.root / "purchases.csv", ACCEPTED_ROWS)),
                 **REFERENCE, **MAPPING})
    return built


def test_warehouse_table_through_the_source(csv_build, workspace) -> None:
    """A typed table read through the dbt source gives the CSV's customer table, byte for byte."""
    csv_path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    with duckdb.connect(str(workspace.database)) as connection:
        connection.execute("create schema raw")
        connection.execute(f"""
            create table raw.sales as
            select InvoiceNo, CustomerID, cast(InvoiceDate as timestamptz) as InvoiceDate,
                   cast(Amount as decimal(12, 2)) as Amount, cast(Qty as integer) as Qty, Store, Category
            from read_csv('{csv_path}', all_varchar = true)""")
    workspace.build({"purchases_source_table": "sales", "purchases_source_schema": "raw", **REFERENCE, **MAPPING})
    assert workspace.export_bytes()["fct_customer_rfm"] == csv_build.export_bytes()["fct_customer_rfm"]


def test_glob_of_files_with_a_date_format(workspace) -> None:
    folder = workspace.root / "monthly"
    folder.mkdir()
    header = ["customer", "when", "total", "extra_note"]
    write_csv(folder / "2024-05.csv", [["A", "03/05/2024 09:15", "10", "x"], ["B", "31/05/2024 18:00", "5", "y"]],
              header)
    # Same columns in another order: read by name.
    write_csv(folder / "2024-06.csv", [["01/06/2024 12:00", "A", "20", "z"], ["2024-06-02", "B", "1", "z"]],
              ["when", "customer", "total", "extra_note"])
    workspace.build({"purchases_path": str(folder / "*.csv"), "purchase_timestamp_format": "%d/%m/%Y %H:%M",
                     "purchases_columns": {"customer_id": "customer", "purchased_at": "when", "amount": "total"}})
    got = {row["customer_id"]: row for row in workspace.rows("fct_customer_rfm", "customer_id")}
    assert (got["A"]["order_count"], str(got["A"]["last_purchase_date"])) == (2, "2024-06-01")
    assert str(got["A"]["reference_date"]) == "2024-06-02"
    # An ISO date does not match the format: rejected with its text, not guessed.
    assert workspace.query("select purchased_at_raw, reject_reason from fct_purchases_rejected") == [
        ("2024-06-02", "unparseable_purchase_date")]


def test_rows_differing_only_in_an_unmapped_column_are_not_duplicates(workspace) -> None:
    rows = [["O1", "A", "2024-06-01 10:00:00", "5.00", "Pen"], ["O1", "A", "2024-06-01 10:00:00", "5.00", "Pencil"],
            ["O1", "A", "2024-06-01 10:00:00", "5.00", "Pencil "]]  # trimmed: a true duplicate
    path = write_csv(workspace.root / "lines.csv", rows, ["order_id", "customer_id", "purchased_at", "amount", "item"])
    workspace.build({"purchases_path": str(path)})
    assert workspace.query("select monetary_amount, order_count from fct_customer_rfm") == [(10, 1)]
    assert workspace.query("select outcome, row_count from rpt_purchases_reconciliation order by 1") == [
        ("accepted", 2), ("duplicate_removed", 1)]


def test_old_dates_typos_and_a_trailing_return(workspace) -> None:
    rows = [["A", "1999-12-31 10:00:00", "10"], ["A", "2000-06-15 10:00:00", "10"],
            ["B", "0202-01-01 10:00:00", "99"],  # a typo for 2020: rejected, not a 1,800-year calendar
            ["A", "2000-07-01 10:00:00", "-5"]]  # a return after the last purchase
    path = write_csv(workspace.root / "old.csv", rows, ["customer_id", "purchased_at", "amount"])
    workspace.build({"purchases_path": str(path), "purchases_columns": {"order_id": None}})
    # The reference date follows the last purchase, not the later return (rejected as after it).
    assert workspace.query("select reference_date, recency_days, monetary_amount from fct_customer_rfm") == [
        (__import__("datetime").date(2000, 6, 16), 1, 20)]
    assert sorted(workspace.query("select reject_reason from fct_purchases_rejected")) == [
        ("implausible_purchase_date",), ("purchase_after_reference_date",)]
    weekdays = dict(workspace.query("select cast(date_day as varchar), day_name from dim_dates "
                                    "where date_day in ('1999-12-31', '2000-01-01')"))
    assert weekdays == {"1999-12-31": "Friday", "2000-01-01": "Saturday"}
    assert workspace.query("select min(day_of_week_number), max(day_of_week_number) from dim_dates") == [(1, 7)]


def test_text_timestamps_with_offsets_and_zone_names(workspace) -> None:
    cases = {
        "2024-01-01 10:00:00": "2024-01-01 10:00:00",  # no zone: already local
        "2024-01-01T10:00:00Z": "2024-01-01 11:00:00",
        "2024-01-01 10:00:00+0530": "2024-01-01 05:30:00",
        "2024-07-01 10:00:00 America/New_York": "2024-07-01 16:00:00",
        "2024-01-01 10:00 UTC": "2024-01-01 11:00:00",
        "2024-01-01 10:00:00 Mars/Olympus": None,  # not a zone: unparseable, never silently dropped
        "2024-02-30": None,
    }
    values = " union all ".join(f"select '{text}' as raw" for text in cases)
    sql = f"select raw, cast({{{{ rfm_parse_timestamp('raw') }}}} as varchar) as parsed from ({values})"
    preview = workspace.show(sql, variables={"business_time_zone": "Europe/Paris"})
    assert {row["raw"]: row["parsed"] for row in preview} == cases


def test_parquet_date_column_ignores_the_text_format(workspace, tmp_path: Path) -> None:
    path = tmp_path / "typed.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"""copy (select 'A' as customer_id, date '2024-03-01' as purchased_at, 12.5 as amount)
                               to '{path}' (format parquet)""")
    workspace.build({"purchases_path": str(path), "purchase_timestamp_format": "%d/%m/%Y"})
    assert workspace.query("select cast(last_purchase_date as varchar) from fct_customer_rfm") == [("2024-03-01",)]
