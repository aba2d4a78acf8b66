"""Settings that had no test: an explicit `purchases_format`, demographics from
a warehouse table (`customers_source_table`), and the
`warn_reference_date_in_the_future` warning at its boundary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from helpers.hand_data import ACCEPTED_ROWS, MAPPING, REFERENCE, write_csv
from helpers.workspace import Workspace

pytestmark = pytest.mark.integration

WARNING_TEST = "warn_reference_date_in_the_future"
# customer: (recency, orders, monetary) from test_hand_computed.py
HAND_VALUES = {"A": (1, 1, "10.00"), "B": (10, 2, "200.00"), "C": (100, 3, "30.00"), "D": (200, 4, "500.00"),
               "E": (300, 5, "50.00"), "F": (61, 1, "0.00")}


def customer_values(built: Workspace) -> dict[str, tuple[int, int, str]]:
    return {customer: (recency, orders, str(money)) for customer, recency, orders, money in built.query(
        "select customer_id, recency_days, order_count, monetary_amount from fct_customer_rfm order by 1")}


def write_parquet_copy(csv_path: Path, target: Path) -> Path:
    """The hand CSV as a typed Parquet file, under a name whose extension says nothing."""
    with duckdb.connect() as connection:
        connection.execute(f"""
            copy (select InvoiceNo, CustomerID, cast(InvoiceDate as timestamptz) as InvoiceDate,
                         cast(Amount as decimal(12, 2)) as Amount, cast(Qty as integer) as Qty, Store, Category
                  from read_csv('{csv_path}', all_varchar = true))
            to '{target}' (format parquet)""")
    return target


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_explicit_purchases_format_reads_a_file_without_a_telling_extension(workspace: Workspace,
                                                                            file_format: str) -> None:
    csv_path = write_csv(workspace.root / "hand.csv", ACCEPTED_ROWS)
    if file_format == "parquet":
        path = write_parquet_copy(csv_path, workspace.root / "purchases.export")
    else:
        path = workspace.root / "purchases.export"
        path.write_bytes(csv_path.read_bytes())
    variables = {"purchases_path": str(path), **REFERENCE, **MAPPING}
    # Without the setting the extension cannot tell: a clear error naming the var.
    guessed = workspace.dbt("build", variables=variables)
    assert not guessed.ok
    assert ("Invalid var 'purchases_format': cannot tell the format of "
            f"'{path}' from its extension; set purchases_format to csv or parquet") in guessed.output, \
        guessed.output[-3000:]
    workspace.build({**variables, "purchases_format": file_format})
    assert customer_values(workspace) == HAND_VALUES
    assert workspace.manifest()["inputs"]["purchases"]["format"] == file_format


def test_a_wrong_explicit_format_is_refused_not_misread(workspace: Workspace) -> None:
    """A CSV declared as Parquet must stop the build, never produce customers."""
    path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    result = workspace.dbt("build", variables={"purchases_path": str(path), "purchases_format": "parquet",
                                               **REFERENCE, **MAPPING})
    assert not result.ok
    assert not (workspace.exports / "fct_customer_rfm.parquet").exists()


def test_demographics_from_a_warehouse_table(workspace: Workspace) -> None:
    """customers_source_table (with a schema and mapped columns) feeds dim_customers
    as a customer file would: labels normalised, text dates parsed with
    customers_date_format, ages at the reference date 2024-07-01."""
    with duckdb.connect(str(workspace.database)) as connection:
        connection.execute("create schema crm")
        connection.execute("create table crm.people (CustNo varchar, DOB varchar, Sex varchar, Area varchar)")
        connection.execute("""insert into crm.people values
            ('A', '29/02/2000', 'f', 'PACA'),
            (' B ', '15/07/1990', 'M', 'Provence-Alpes-Cote d''Azur'),
            ('C', '30/02/1990', 'x', 'PACA'),
            ('Z', '01/01/1980', 'F', 'PACA')""")
    purchases = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    workspace.build({"purchases_path": str(purchases), **REFERENCE, **MAPPING,
                     "customers_source_table": "people", "customers_source_schema": "crm",
                     "customers_date_format": "%d/%m/%Y",
                     "customers_columns": {"customer_id": "CustNo", "birth_date": "DOB", "gender": "Sex",
                                           "region": "Area"}})
    rows = workspace.query("select customer_id, birth_date, age_years, gender, region, has_demographics, "
                           "demographic_issues from dim_customers order by 1")
    paca = "Provence-Alpes-Cote d'Azur"
    assert rows == [
        ("A", dt.date(2000, 2, 29), 24, "Female", paca, True, None),
        ("B", dt.date(1990, 7, 15), 33, "Male", paca, True, None),  # birthday after the reference date
        ("C", None, None, "Other", paca, True, "birth_date_unparseable"),
        ("D", None, None, "Unknown", "Unknown", False, None),
        ("E", None, None, "Unknown", "Unknown", False, None),
        ("F", None, None, "Unknown", "Unknown", False, None),
    ]  # Z never bought: not a customer here


def test_reference_date_in_the_future_warns_without_failing(workspace: Workspace) -> None:
    """The warning fires when the reference date is after tomorrow (run date + 1,
    UTC), and not on tomorrow itself, the default for data up to today."""
    path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    today = dt.datetime.now(dt.UTC).date()
    base = {"purchases_path": str(path), **MAPPING}

    def reference_run(reference: dt.date) -> str:
        result = workspace.dbt("build", "--select", f"int_rfm_reference_date {WARNING_TEST}",
                               variables={**base, "rfm_reference_date": reference.isoformat()})
        assert result.ok, result.output[-3000:]  # a warning never fails the build
        return result.output

    workspace.build({**base, **REFERENCE})
    warned = reference_run(today + dt.timedelta(days=2))
    assert f"Warning in test {WARNING_TEST}" in warned and "WARN=1" in warned, warned[-3000:]
    quiet = reference_run(today + dt.timedelta(days=1))
    assert f"Warning in test {WARNING_TEST}" not in quiet and "WARN=0" in quiet, quiet[-3000:]


def test_a_mistyped_year_is_rejected_and_leaves_the_reference_date_alone(workspace: Workspace) -> None:
    """2204 for 2024: the line is dated after the day the build runs, so it is rejected as
    purchase_in_future (issue 13) and the default reference date follows the real purchases."""
    rows = [*ACCEPTED_ROWS, ["INV-Y1", "A", "2204-06-30 10:00:00", "10.00", "1", "S1", "Toys"]]
    result = workspace.build({"purchases_path": str(write_csv(workspace.root / "purchases.csv", rows)), **MAPPING})
    assert f"Warning in test {WARNING_TEST}" not in result.output, result.output[-3000:]
    assert workspace.query("select purchased_at_raw, reject_reason from fct_purchases_rejected "
                           "where purchased_at_raw like '2204%'") == [("2204-06-30 10:00:00", "purchase_in_future")]
    (latest,), = workspace.query("select cast(max(purchase_date) + interval 1 day as date) from fct_purchases")
    assert workspace.manifest()["reference_date"] == latest.isoformat()


def test_reference_date_boundary(workspace: Workspace) -> None:
    """A purchase on the reference date counts (recency 0); one the day after is rejected.
    Z's sub-cent lines (two orders, 0.003 + 0.002) check that the average order
    value is rounded once, from the unrounded net spend: 0.0025 -> 0.00, where
    rounding the spend to cents first would give 0.01 / 2 -> 0.01."""
    header = ["customer_id", "purchased_at", "amount"]
    rows = [["X", "2024-07-01 23:59:59", "10"], ["Y", "2024-06-30 09:00:00", "20"],
            ["Y", "2024-07-02 00:00:00", "30"], ["Z", "2024-06-01 10:00:00", "0.003"],
            ["Z", "2024-06-02 10:00:00", "0.002"]]
    workspace.build({"purchases_path": str(write_csv(workspace.root / "purchases.csv", rows, header)), **REFERENCE})
    assert workspace.query("select customer_id, recency_days, monetary_amount, average_order_value "
                           "from fct_customer_rfm order by 1") == [
        ("X", 0, Decimal("10.00"), Decimal("10.00")), ("Y", 1, Decimal("20.00"), Decimal("20.00")),
        ("Z", 29, Decimal("0.01"), Decimal("0.00"))]
    assert workspace.query("select purchased_at_raw, reject_reason from fct_purchases_rejected") == [
        ("2024-07-02 00:00:00", "purchase_after_reference_date")]
