"""Data-quality guards of issue 13 on small hand-made files: exact values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from helpers.hand_data import write_csv

pytestmark = pytest.mark.integration

HEADER = ["order_id", "customer_id", "purchased_at", "amount"]
# The CLV fit needs more than a handful of customers; these files test the cleaning.
NO_CLV = {"clv_enabled": False}


def test_purchase_in_future_is_rejected_and_ignored_by_the_reference_date(workspace) -> None:
    yesterday = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    rows = [["O1", "A", "2024-03-01 10:00:00", "10"],
            ["O2", "A", "2024-03-09 10:00:00", "15"],
            ["O3", "B", "2024-02-10 10:00:00", "20"],
            ["O4", "B", "2099-01-01 10:00:00", "30"],   # a mistyped year
            ["O5", "C", "2199-12-31 23:00:00", "40"]]  # C has nothing else: no customer at all
    path = write_csv(workspace.root / "future.csv", rows, HEADER)
    workspace.build({"purchases_path": str(path), **NO_CLV})
    # The reference date follows the last real purchase, not 2099.
    assert workspace.query("select customer_id, reference_date, recency_days, monetary_amount "
                           "from fct_customer_rfm order by 1") == [
        ("A", dt.date(2024, 3, 10), 1, Decimal("25.00")), ("B", dt.date(2024, 3, 10), 29, Decimal("20.00"))]
    assert workspace.query("select order_id_raw, reject_reason, amount from fct_purchases_rejected order by 1") == [
        ("O4", "purchase_in_future", Decimal("30.0000")), ("O5", "purchase_in_future", Decimal("40.0000"))]
    assert workspace.query("select outcome, reason, row_count, amount from rpt_purchases_reconciliation "
                           "order by 1, 2") == [("accepted", "accepted", 3, Decimal("45.00")),
                                                ("rejected", "purchase_in_future", 2, Decimal("70.00"))]
    # A line from yesterday is real: accepted, and it moves the reference date.
    path = write_csv(workspace.root / "recent.csv", [*rows, ["O6", "A", f"{yesterday} 09:00:00", "5"]], HEADER)
    workspace.build({"purchases_path": str(path), **NO_CLV})
    assert workspace.query("select distinct reference_date from fct_customer_rfm") == [
        (dt.date.fromisoformat(yesterday) + dt.timedelta(days=1),)]


def test_the_build_date_is_taken_in_the_business_time_zone(workspace) -> None:
    """Tomorrow, where the business is, is in the future there; two days ahead is in the future everywhere."""
    zone = "Pacific/Kiritimati"  # UTC+14: its date is at least today's UTC date
    from zoneinfo import ZoneInfo
    local_today = dt.datetime.now(ZoneInfo(zone)).date()
    rows = [["O1", "A", "2024-03-01 10:00:00", "10"],
            ["O2", "A", f"{local_today.isoformat()} 00:30:00", "1"],
            ["O3", "A", f"{(local_today + dt.timedelta(days=1)).isoformat()} 00:30:00", "2"]]
    path = write_csv(workspace.root / "zone.csv", rows, HEADER)
    workspace.build({"purchases_path": str(path), "business_time_zone": zone, **NO_CLV})
    assert workspace.query("select order_id_raw, reject_reason from fct_purchases_rejected") == [
        ("O3", "purchase_in_future")]


def outlier_rows() -> list[list[str]]:
    """3,000 ordinary lines (10..59, so the 99.9th percentile is 59 and the limit 59,000),
    a large but plausible 50,000, and a typo of 10^12."""
    rows = [[f"O{i}", f"C{i % 100:03d}", f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00:00", f"{10 + i % 50}.00"]
            for i in range(3000)]
    return [*rows, ["BIG", "C001", "2024-05-05 10:00:00", "50000"],
            ["TYPO", "C002", "2024-05-06 10:00:00", "1000000000000"]]


def test_amount_outliers_are_kept_with_a_warning_naming_them(workspace) -> None:
    path = write_csv(workspace.root / "outliers.csv", outlier_rows(), HEADER)
    result = workspace.build({"purchases_path": str(path), **NO_CLV})
    assert ("Amount outliers: 1 line beyond 1000 x the 99.9th percentile of absolute amounts "
            "(limit 59000.0000; amount_outliers: keep):") in result.output
    assert "customer C002, 2024-05-06, order TYPO: amount 1000000000000.0000 (kept" in result.output
    assert "warn_amount_outliers" in result.output  # the warn-severity data test
    assert workspace.query("select monetary_amount > 1e12 from fct_customer_rfm where customer_id = 'C002'") == [
        (True,)]
    assert workspace.manifest().get("amount_outliers") == "keep"
    assert float(workspace.manifest()["amount_outlier_limit"]) == 59000


def test_amount_outliers_rejected_on_request(workspace) -> None:
    path = write_csv(workspace.root / "outliers.csv", outlier_rows(), HEADER)
    result = workspace.build({"purchases_path": str(path), "amount_outliers": "reject",
                              "amount_outlier_factor": 500, **NO_CLV})
    # 500 x 59 = 29,500: the 50,000 line is an outlier too now.
    assert workspace.query("select order_id_raw, reject_reason from fct_purchases_rejected order by 1") == [
        ("BIG", "amount_outlier"), ("TYPO", "amount_outlier")]
    assert workspace.query("select row_count, amount from rpt_purchases_reconciliation "
                           "where reason = 'amount_outlier'") == [(2, Decimal("1000000050000.00"))]
    assert "Amount outliers: 2 lines beyond 500 x" in result.output


@pytest.mark.parametrize(("variables", "message"), [
    ({"amount_outliers": "drop"}, "Invalid var 'amount_outliers': expected one of keep, reject"),
    ({"amount_outlier_factor": "big"}, "Invalid var 'amount_outlier_factor': expected a number greater than 1"),
])
def test_amount_outlier_vars_are_validated(workspace, variables, message) -> None:
    result = workspace.dbt("parse", variables=variables)
    result = result if not result.ok else workspace.dbt("build", "--select", "int_purchase_amount_limits",
                                                        variables=variables)
    assert not result.ok and message in result.output


UNIT_PRICE_HEADER = ["InvoiceNo", "CustomerID", "InvoiceDate", "Quantity", "UnitPrice"]
UNIT_PRICE_MAPPING = {"purchases_columns": {"order_id": "InvoiceNo", "customer_id": "CustomerID",
                                            "purchased_at": "InvoiceDate", "quantity": "Quantity",
                                            "unit_price": "UnitPrice"}}


def test_amount_is_quantity_times_unit_price(workspace) -> None:
    rows = [["536365", "A", "2024-03-01 08:26:00", "6", "2.55"],     # 15.30
            ["536365", "A", "2024-03-01 08:26:00", "12", "0.425"],   # 5.10
            ["536366", "A", "2024-03-05 09:00:00", "3", "0.333"],    # 0.999: exact, not 0.99899...
            ["C536379", "A", "2024-03-06 09:00:00", "-1", "2.55"],   # a return: -2.55
            ["536370", "B", "2024-03-02 10:00:00", "2", "19.99"],    # 39.98
            ["536371", "B", "2024-03-03 10:00:00", "", "1.00"],      # missing_quantity
            ["536372", "B", "2024-03-03 11:00:00", "1", ""],         # missing_unit_price
            ["536373", "B", "2024-03-03 12:00:00", "1", "1,5"],      # non_numeric_unit_price
            ["536374", "B", "2024-03-03 13:00:00", "x", "1.5"]]      # non_numeric_quantity
    path = write_csv(workspace.root / "retail.csv", rows, UNIT_PRICE_HEADER)
    workspace.build({"purchases_path": str(path), **UNIT_PRICE_MAPPING, **NO_CLV})
    assert workspace.query("select order_id, quantity, amount, is_return from fct_purchases order by 1, 3") == [
        ("536365", Decimal("12.000"), Decimal("5.1000"), False),
        ("536365", Decimal("6.000"), Decimal("15.3000"), False),
        ("536366", Decimal("3.000"), Decimal("0.9990"), False),
        ("536370", Decimal("2.000"), Decimal("39.9800"), False),
        ("C536379", Decimal("-1.000"), Decimal("-2.5500"), True)]
    assert workspace.query("select customer_id, monetary_amount, returned_amount from fct_customer_rfm "
                           "order by 1") == [("A", Decimal("18.85"), Decimal("2.55")),  # 18.849
                                             ("B", Decimal("39.98"), Decimal("0.00"))]
    assert workspace.query("select order_id_raw, unit_price_raw, reject_reason from fct_purchases_rejected "
                           "order by 1") == [("536371", "1.00", "missing_quantity"),
                                             ("536372", None, "missing_unit_price"),
                                             ("536373", "1,5", "non_numeric_unit_price"),
                                             ("536374", "1.5", "non_numeric_quantity")]


def test_a_mapping_without_amount_or_unit_price_is_refused(workspace) -> None:
    path = write_csv(workspace.root / "retail.csv", [["1", "A", "2024-03-01 08:26:00", "6", "2.55"]],
                     UNIT_PRICE_HEADER)
    mapping = {**UNIT_PRICE_MAPPING["purchases_columns"], "unit_price": None}
    result = workspace.dbt("build", variables={"purchases_path": str(path), "purchases_columns": mapping})
    assert not result.ok and "Traceback" not in result.output
    assert ("Invalid var 'purchases_columns': map amount, or quantity and unit_price (amount = quantity x "
            "unit_price when amount is not mapped)") in result.output
    assert "its columns are: InvoiceNo, CustomerID, InvoiceDate, Quantity, UnitPrice" in result.output


def test_csv_exports_neutralise_formulas_and_parquet_stays_exact(workspace) -> None:
    import csv as csv_module

    hostile = ['=HYPERLINK("http://x")', "+33 1 23", "-5", "@SUM(A1)", "\tTAB", "plain"]
    rows = [[f"O{i}", customer, f"2024-03-0{i + 1} 10:00:00", "10"] for i, customer in enumerate(hostile)]
    path = write_csv(workspace.root / "hostile.csv", rows, HEADER)
    workspace.build({"purchases_path": str(path), "export_csv": True, "missing_customer_id_values": [], **NO_CLV})
    in_parquet = sorted(row[0] for row in workspace.query("select customer_id from fct_customer_rfm"))
    assert in_parquet == sorted(hostile)  # Parquet: exact
    with (workspace.published / "fct_customer_rfm.csv").open(newline="") as handle:
        in_csv = sorted(row["customer_id"] for row in csv_module.DictReader(handle))
    assert in_csv == sorted(["'=HYPERLINK(\"http://x\")", "'+33 1 23", "'-5", "'@SUM(A1)", "'\tTAB", "plain"])
    with (workspace.published / "fct_customer_rfm.csv").open(newline="") as handle:
        first = next(csv_module.DictReader(handle))
    assert first["recency_days"].lstrip("-").isdigit()  # numbers are not touched


def tie_rows() -> list[list[str]]:
    """Six customers with one order each (distinct dates and amounts), four with 2..5 orders."""
    rows = [[f"S{i}", f"C{i}", f"2024-01-{10 + i:02d} 10:00:00", f"{10 + i}"] for i in range(6)]
    for customer, orders in zip(range(6, 10), range(2, 6), strict=True):
        rows += [[f"M{customer}-{k}", f"C{customer}", f"2024-02-{k + customer:02d} 10:00:00", f"{100 * customer + k}"]
                 for k in range(orders)]
    return rows


def test_ntile_ties_are_reported_in_the_log_and_the_manifest(workspace) -> None:
    path = write_csv(workspace.root / "ties.csv", tie_rows(), HEADER)
    result = workspace.build({"purchases_path": str(path), **NO_CLV})
    # NTILE(5) over 10 customers: two per bucket, so the six one-order customers fill F = 1, 2 and 3.
    assert ("Score ties: frequency: 6 customers with 1 order(s) are split over F = 1..3; "
            "rfm_scoring_method: percent_rank gives equal values one score") in result.output
    assert "Score ties: recency" not in result.output and "Score ties: monetary" not in result.output
    ties = workspace.manifest()["score_ties"]
    assert ties["frequency"] == {"customers_split": 6, "values_split": 1, "largest_value": "1",
                                 "largest_customers": 6, "largest_scores": "1..3"}
    assert ties["recency"]["customers_split"] == 0 and ties["recency"]["largest_value"] is None

    result = workspace.build({"purchases_path": str(path), "rfm_scoring_method": "percent_rank", **NO_CLV})
    assert "Score ties:" not in result.output
    assert workspace.manifest()["score_ties"]["frequency"]["customers_split"] == 0
