"""Exact values on a small purchase file computed by hand.

Reference date 2024-07-01, 5 bins. The five scored customers each hold a
different rank on every measure:

    customer  last purchase   recency  orders  monetary  ->  R F M  fm  segment
    A         2024-06-30          1       1      10.00       5 1 1   1  New Customers
    B         2024-06-21         10       2     200.00       4 2 4   3  Potential Loyalists
    C         2024-03-23        100       3      30.00       3 3 2   3  Need Attention
    D         2023-12-14        200       4     500.00       2 4 5   5  Cannot Lose Them
    E         2023-09-05        300       5      50.00       1 5 3   4  Cannot Lose Them

F bought 40 and returned it (net 0): kept, flagged, not scored. G only
returned something: that row is rejected. Rows without a usable customer id
carry large amounts: grouped together they would make a top customer.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers.hand_data import ACCEPTED_ROWS, DUPLICATE_ROWS, MAPPING, REFERENCE, REJECTED_ROWS, write_csv
from helpers.workspace import Workspace

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def hand_build(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    built = Workspace(tmp_path_factory.mktemp("hand"))
    rows = ACCEPTED_ROWS + [row for row, _ in REJECTED_ROWS] + DUPLICATE_ROWS
    path = write_csv(built.root / "purchases.csv", rows)
    built.build({"purchases_path": str(path), **REFERENCE, **MAPPING})
    return built


def test_customer_values_scores_and_segments(hand_build) -> None:
    got = {row["customer_id"]: row for row in hand_build.rows("fct_customer_rfm", "customer_id")}
    assert sorted(got) == ["A", "B", "C", "D", "E", "F"]
    expected = {
        #     recency orders monetary  aov     tenure R  F  M  fm cell   segment
        "A": (1, 1, "10.00", "10.00", 1, 5, 1, 1, 1, "511", "New Customers"),
        "B": (10, 2, "200.00", "100.00", 168, 4, 2, 4, 3, "424", "Potential Loyalists"),
        "C": (100, 3, "30.00", "10.00", 304, 3, 3, 2, 3, "332", "Need Attention"),
        "D": (200, 4, "500.00", "125.00", 488, 2, 4, 5, 5, "245", "Cannot Lose Them"),
        "E": (300, 5, "50.00", "10.00", 538, 1, 5, 3, 4, "153", "Cannot Lose Them"),
    }
    for customer, values in expected.items():
        row = got[customer]
        actual = (row["recency_days"], row["order_count"], str(row["monetary_amount"]),
                  str(row["average_order_value"]), row["tenure_days"], row["recency_score"],
                  row["frequency_score"], row["monetary_score"], row["fm_score"], row["rfm_cell"],
                  row["segment"])
        assert actual == values, customer
        assert row["rfm_score"] == sum(values[5:8])
        assert row["is_scored"] is True
        assert str(row["reference_date"]) == "2024-07-01"


def test_net_refund_customer_is_flagged_not_ranked(hand_build) -> None:
    (refunded,) = [row for row in hand_build.rows("fct_customer_rfm", "customer_id") if row["customer_id"] == "F"]
    assert refunded["is_scored"] is False
    assert refunded["segment"] == "No Net Spend"
    assert refunded["monetary_amount"] == Decimal("0.00")
    assert refunded["returned_amount"] == Decimal("40.00")
    assert refunded["order_count"] == 1  # the return is not an order
    assert refunded["recency_days"] == 61  # measured from the purchase, not the return
    assert refunded["recency_score"] is None and refunded["rfm_cell"] is None


def test_score_direction(hand_build) -> None:
    """The best customer on each measure gets the top score: public projects often invert R."""
    rows = hand_build.rows("fct_customer_rfm", "customer_id")
    scored = [row for row in rows if row["is_scored"]]
    assert min(scored, key=lambda r: r["recency_days"])["recency_score"] == 5
    assert max(scored, key=lambda r: r["recency_days"])["recency_score"] == 1
    assert max(scored, key=lambda r: r["order_count"])["frequency_score"] == 5
    assert max(scored, key=lambda r: r["monetary_amount"])["monetary_score"] == 5
    assert min(scored, key=lambda r: r["monetary_amount"])["monetary_score"] == 1


def test_rejected_rows_keep_original_text_and_reason(hand_build) -> None:
    rejected = hand_build.rows("fct_purchases_rejected", "order_id_raw")
    got = sorted((row["order_id_raw"], row["reject_reason"]) for row in rejected)
    assert got == sorted((row[0], reason) for row, reason in REJECTED_ROWS)
    by_order = {row["order_id_raw"]: row for row in rejected}
    assert by_order["INV-X3"]["customer_id_raw"] == "unknown "  # untrimmed original
    assert by_order["INV-A0"]["purchased_at_raw"] == "yesterday"
    assert by_order["INV-B8"]["amount_raw"] == "abc"
    assert by_order["INV-B7"]["quantity_raw"] == "two"
    assert all(row["source_row_count"] == 1 for row in rejected)


def test_anonymous_rows_never_become_a_customer(hand_build) -> None:
    customers = {row[0] for row in hand_build.query("select customer_id from fct_customer_rfm")}
    assert customers.isdisjoint({"", "N/A", "unknown", "unknown ", None})
    assert hand_build.query("select max(monetary_amount) from fct_customer_rfm")[0][0] == Decimal("500.00")


def test_counts_and_revenue_reconcile(hand_build) -> None:
    report = {(o, r): (n, a) for o, r, n, a, _ in hand_build.query("select * from rpt_purchases_reconciliation")}
    input_rows = len(ACCEPTED_ROWS) + len(REJECTED_ROWS) + len(DUPLICATE_ROWS)
    assert sum(n for n, _ in report.values()) == input_rows
    assert report[("accepted", "accepted")] == (len(ACCEPTED_ROWS), Decimal("790.00"))
    assert report[("duplicate_removed", "exact_duplicate")] == (1, Decimal("120.00"))
    assert report[("rejected", "missing_customer_id")] == (3, Decimal("29997.00"))
    assert report[("rejected", "purchase_after_reference_date")] == (1, Decimal("1000.00"))
    assert report[("rejected", "return_without_purchase")] == (1, Decimal("-25.00"))
    assert hand_build.query("select count(*) from fct_purchases")[0][0] == len(ACCEPTED_ROWS)


def test_purchases_are_trimmed_typed_and_time_zone_converted(hand_build) -> None:
    purchases = hand_build.rows("fct_purchases", "purchased_at, product_category")
    c3 = [row for row in purchases if row["order_id"] == "INV-C3"][0]
    assert str(c3["purchased_at"]) == "2024-03-23 01:30:00"
    assert str(c3["purchase_date"]) == "2024-03-23"
    assert {row["customer_id"] for row in purchases if row["order_id"] == "INV-B2"} == {"B"}
    assert {row["product_category"] for row in purchases if row["order_id"] == "INV-B1"} == {"Home"}
    assert [row["is_return"] for row in purchases if row["order_id"] == "RET-F1"] == [True]


def test_manifest_lists_every_export_with_its_row_count(hand_build) -> None:
    manifest = hand_build.manifest()
    assert manifest["reference_date"] == "2024-07-01"
    counts = {table["name"]: table["row_count"] for table in manifest["tables"]}
    for table, row_count in counts.items():
        assert hand_build.query(f"select count(*) from {table}")[0][0] == row_count
    assert counts["fct_customer_rfm"] == 6 and counts["fct_purchases_rejected"] == len(REJECTED_ROWS)


def test_returns_excluded_frequency_without_order_id_and_custom_missing_ids(workspace) -> None:
    """Without an order id, an order is a distinct purchase timestamp; excluded returns are
    rejected; the list of ids meaning "no customer" is the user's."""
    header = ["customer", "ts", "value"]
    rows = [
        ["P", "2024-06-01 10:00:00", "30"],
        ["P", "2024-06-01 10:00:00", "20"],  # same timestamp, different line: same order
        ["P", "2024-06-10 10:00:00", "50"],
        ["P", "2024-06-12 10:00:00", "-50"],  # a return
        ["Q", "2024-05-01 10:00:00", "10"],
        ["N/A", "2024-05-02 10:00:00", "10"],  # a real id here: not in this run's list
        [" GUEST ", "2024-05-03 10:00:00", "10"],
    ]
    path = write_csv(workspace.root / "lines.csv", rows, header)
    workspace.build({"purchases_path": str(path), "returns_handling": "exclude",
                     "missing_customer_id_values": ["guest"],
                     "purchases_columns": {"customer_id": "customer", "purchased_at": "ts", "amount": "value"}})
    got = {row["customer_id"]: row for row in workspace.rows("fct_customer_rfm", "customer_id")}
    assert got["P"]["order_count"] == 2
    assert got["P"]["monetary_amount"] == Decimal("100.00")  # the return is not netted
    assert got["P"]["returned_amount"] == Decimal("0.00")
    assert str(got["P"]["reference_date"]) == "2024-06-11"  # the excluded return does not move it
    assert sorted(got) == ["N/A", "P", "Q"]
    assert workspace.query("select reject_reason, count(*) from fct_purchases_rejected group by 1 order by 1") == [
        ("missing_customer_id", 1), ("purchase_after_reference_date", 1)]


def test_lookback_window_rejects_older_purchases(workspace) -> None:
    path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    workspace.build({"purchases_path": str(path), **REFERENCE, **MAPPING, "rfm_lookback_days": 200})
    customers = {row[0] for row in workspace.query("select customer_id from fct_customer_rfm")}
    # The window starts 2023-12-14 (200 days back). E's last purchase is 300 days old: out.
    # D keeps only 2023-12-14; out go C1, C2, D1-D3 and E's six lines: 11 rows.
    assert customers == {"A", "B", "C", "D", "F"}
    assert workspace.query("select order_count from fct_customer_rfm where customer_id = 'D'") == [(1,)]
    assert workspace.query(
        "select count(*) from fct_purchases_rejected where reject_reason = 'purchase_before_lookback_window'"
    ) == [(11,)]


def test_segment_summary_averages_and_shares(hand_build) -> None:
    """One row per catalogue segment, worked out by hand from the table above
    (6 customers, net revenue 790.00). Cannot Lose Them holds D and E:
    recency (200 + 300) / 2, orders (4 + 5) / 2, money (500 + 50) / 2,
    R (2 + 1) / 2, F (4 + 5) / 2, M (5 + 3) / 2; shares 2/6 and 550/790."""
    summary = {row["segment"]: row for row in hand_build.rows("rpt_segment_summary", "sort_order")}
    columns = ("customer_count", "customer_share", "revenue", "revenue_share", "average_recency_days",
               "average_order_count", "average_monetary_amount", "average_recency_score",
               "average_frequency_score", "average_monetary_score")

    def got(segment: str) -> tuple[object, ...]:
        return tuple(summary[segment][column] for column in columns)

    d = Decimal
    assert got("Cannot Lose Them") == (2, d("0.333333"), d("550.00"), d("0.696203"), d("250.00"), d("4.50"),
                                       d("275.00"), d("1.50"), d("4.50"), d("4.00"))
    assert got("Potential Loyalists") == (1, d("0.166667"), d("200.00"), d("0.253165"), d("10.00"), d("2.00"),
                                          d("200.00"), d("4.00"), d("2.00"), d("4.00"))
    # F: counted and its recency averaged, but no scores to average.
    assert got("No Net Spend") == (1, d("0.166667"), d("0.00"), d("0.000000"), d("61.00"), d("1.00"), d("0.00"),
                                   None, None, None)
    # An empty segment is listed with zeros and no averages.
    assert got("Champions") == (0, d("0.000000"), d("0.00"), d("0.000000"), None, None, None, None, None, None)
    assert sum(row["customer_count"] for row in summary.values()) == 6
    assert {str(row["reference_date"]) for row in summary.values()} == {"2024-07-01"}


def test_reconciliation_shares_of_input_rows(hand_build) -> None:
    """30 input rows: 19 accepted (19/30), 1 duplicate and 7 single-row rejections
    (1/30 each), 3 rows without a customer (3/30), rounded half up to 6 places."""
    shares = {(outcome, reason): share
              for outcome, reason, _, _, share in hand_build.query("select * from rpt_purchases_reconciliation")}
    one = Decimal("0.033333")
    assert shares == {
        ("accepted", "accepted"): Decimal("0.633333"),
        ("duplicate_removed", "exact_duplicate"): one,
        ("rejected", "missing_customer_id"): Decimal("0.100000"),
        ("rejected", "unparseable_purchase_date"): one,
        ("rejected", "missing_purchase_date"): one,
        ("rejected", "non_numeric_amount"): one,
        ("rejected", "missing_amount"): one,
        ("rejected", "non_numeric_quantity"): one,
        ("rejected", "purchase_after_reference_date"): one,
        ("rejected", "return_without_purchase"): one,
    }
