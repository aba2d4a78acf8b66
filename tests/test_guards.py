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
    yesterday = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)).isoformat()
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
    assert workspace.query("select order_id_raw, reject_reason, amount from purchases_rejected order by 1") == [
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
    assert workspace.query("select order_id_raw, reject_reason from purchases_rejected") == [
        ("O3", "purchase_in_future")]
