"""`returns_handling: exclude` on the hand data, worked out by hand.

The hand purchases of test_hand_computed.py plus B's return of 20 on
2024-03-01 (before B's last purchase), reference date 2024-07-01. Every
return inside the window is rejected as `return_excluded`, G's lone return
included (the exclusion comes before the return-without-purchase rule), and
nothing is netted:

    customer  recency  orders  monetary  ->  R F M  fm  segment
    A             1       1      10.00       5 1 1   1  New Customers
    B            10       2     200.00       4 2 4   3  Potential Loyalists   (180.00 if netted)
    C           100       3      30.00       2 3 1   2  Hibernating
    D           200       4     500.00       1 4 5   5  Cannot Lose Them
    E           300       5      50.00       1 5 3   4  Cannot Lose Them
    F            61       1      40.00       3 1 2   2  About To Sleep        (0.00 and unscored if netted)

Six scored customers in 5 NTILE buckets: the lowest bucket takes two
(recency: E and D; frequency: A and F, tie split by id; monetary: A and C).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers.hand_data import (
    ACCEPTED_ROWS,
    DUPLICATE_ROWS,
    EARLIER_RETURN_ROWS,
    MAPPING,
    REFERENCE,
    REJECTED_ROWS,
    write_csv,
)
from helpers.workspace import Workspace

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def exclude_build(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    built = Workspace(tmp_path_factory.mktemp("exclude"))
    rows = ACCEPTED_ROWS + [row for row, _ in REJECTED_ROWS] + DUPLICATE_ROWS + EARLIER_RETURN_ROWS
    path = write_csv(built.root / "purchases.csv", rows)
    built.build({"purchases_path": str(path), "returns_handling": "exclude", **REFERENCE, **MAPPING})
    return built


def test_returns_are_rejected_as_return_excluded(exclude_build: Workspace) -> None:
    rejected = {row["order_id_raw"]: row["reject_reason"]
                for row in exclude_build.rows("fct_purchases_rejected", "order_id_raw")}
    assert rejected["RET-B1"] == "return_excluded"  # dated before B's last purchase
    assert rejected["RET-F1"] == "return_excluded"
    assert rejected["RET-G1"] == "return_excluded"  # excluded first, so never "without purchase"
    assert "return_without_purchase" not in rejected.values()
    assert exclude_build.query("select count(*) from fct_purchases where amount < 0") == [(0,)]


def test_monetary_values_are_not_netted(exclude_build: Workspace) -> None:
    got = {row["customer_id"]: row for row in exclude_build.rows("fct_customer_rfm", "customer_id")}
    expected = {
        #     recency orders monetary  R  F  M  segment
        "A": (1, 1, "10.00", 5, 1, 1, "New Customers"),
        "B": (10, 2, "200.00", 4, 2, 4, "Potential Loyalists"),
        "C": (100, 3, "30.00", 2, 3, 1, "Hibernating"),
        "D": (200, 4, "500.00", 1, 4, 5, "Cannot Lose Them"),
        "E": (300, 5, "50.00", 1, 5, 3, "Cannot Lose Them"),
        "F": (61, 1, "40.00", 3, 1, 2, "About To Sleep"),
    }
    assert sorted(got) == sorted(expected)
    for customer, values in expected.items():
        row = got[customer]
        actual = (row["recency_days"], row["order_count"], str(row["monetary_amount"]), row["recency_score"],
                  row["frequency_score"], row["monetary_score"], row["segment"])
        assert actual == values, customer
        assert row["returned_amount"] == Decimal("0.00"), customer
        assert row["is_scored"] is True, customer


def test_reconciliation_counts_the_excluded_returns(exclude_build: Workspace) -> None:
    report = {(o, r): (n, a, s) for o, r, n, a, s in exclude_build.query("select * from rpt_purchases_reconciliation")}
    input_rows = len(ACCEPTED_ROWS) + len(REJECTED_ROWS) + len(DUPLICATE_ROWS) + len(EARLIER_RETURN_ROWS)
    assert input_rows == 31
    assert sum(n for n, _, _ in report.values()) == input_rows
    # RET-F1 leaves the accepted rows: 18 lines worth 790 + 40.
    assert report[("accepted", "accepted")] == (18, Decimal("830.00"), Decimal("0.580645"))
    # RET-B1 -20, RET-F1 -40, RET-G1 -25.
    assert report[("rejected", "return_excluded")] == (3, Decimal("-85.00"), Decimal("0.096774"))
    assert ("rejected", "return_without_purchase") not in report
    assert exclude_build.query("select sum(amount) from fct_purchases") == [(Decimal("830.00"),)]
