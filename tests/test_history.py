"""Segment history by recomputation (fct_customer_rfm_history and its reports).

Exact values on a hand-computed three-month example; on the sample, each
period end equals fct_customer_rfm rebuilt with that reference date over the
purchases up to it (with a lookback window and other grains too); the
transitions account for every customer at both ends; and
`rfm_history_periods: 0` builds exactly what the build gives without history.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from helpers.hand_data import write_csv
from helpers.workspace import EXPORTED_TABLES, HISTORY_TABLES, PROJECT_DIR, Workspace

pytestmark = pytest.mark.integration

COMPARED = ["recency_days", "order_count", "monetary_amount", "is_scored", "recency_score", "frequency_score",
            "monetary_score", "fm_score", "rfm_score", "rfm_cell", "segment"]


def database_rows(workspace: Workspace, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(workspace.database), read_only=True) as connection:
        relation = connection.sql(sql)
        return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


# --- hand-computed: three month ends, 2 bins -------------------------------
#
# Reference date 2024-04-01; period ends 2024-01-31, 02-29, 03-31. With 2 bins
# NTILE puts the first half (rounded up) of the ranked customers in 1, and the
# grid reads 1 -> 1, 2 -> 5, so FM is 1 (F1 M1), 3 (one of each) or 5.
#
#   end 01-31 (ref 02-01)  A: 22 days, 1 order, 100  B: 12 days, 1, 20
#     R: A1 B2   F: A1 B2 (tie, by id)   M: B1 A2
#     A 112 -> R1 FM3 At Risk; B 221 -> R5 FM3 Potential Loyalists
#   end 02-29 (ref 03-01)  A: 51, 1, 100  B: 41, 1, 15 (a 5.00 return)  C: 10, 2, 70  E: 25, 1, 10
#     R: A1 B1 E2 C2   F: A1 B1 E2 C2   M: E1 B1 C2 A2
#     A 112 At Risk; B 111 Lost; C 222 Champions; E 221 Potential Loyalists
#   end 03-31 (ref 04-01)  A: 27, 2, 150  B: 72, 1, 15  C: 41, 2, 70  D: 7, 1, 10  E: refunded, net 0
#     R: B1 C1 A2 D2   F: B1 D1 A2 C2   M: D1 B1 C2 A2
#     A 222 Champions; B 111 Lost; C 122 Cannot Lose Them; D 211 New Customers; E No Net Spend
HAND_ROWS = [
    ["A1", "A", "2024-01-10 10:00:00", "100.00"],
    ["A2", "A", "2024-03-05 10:00:00", "50.00"],
    ["B1", "B", "2024-01-20 10:00:00", "20.00"],
    ["RB1", "B", "2024-02-10 10:00:00", "-5.00"],
    ["C1", "C", "2024-02-15 10:00:00", "30.00"],
    ["C2", "C", "2024-02-20 10:00:00", "40.00"],
    ["D1", "D", "2024-03-25 10:00:00", "6.00"],
    ["D1", "D", "2024-03-25 10:00:00", "4.00"],  # the same order: one order, 10.00
    ["E1", "E", "2024-02-05 10:00:00", "10.00"],
    ["RE1", "E", "2024-03-10 10:00:00", "-10.00"],
]
HAND_VARS = {"rfm_reference_date": "2024-04-01", "rfm_score_bins": 2, "rfm_history_periods": 3,
             "rfm_history_grain": "month", "export_rfm_history": True, "demographics_enabled": False}

#            end      customer  recency orders monetary  period   cell   segment
HAND_EXPECTED = [
    ("2024-01-31", "A", 22, 1, "100.00", "100.00", "112", "At Risk"),
    ("2024-01-31", "B", 12, 1, "20.00", "20.00", "221", "Potential Loyalists"),
    ("2024-02-29", "A", 51, 1, "100.00", "0.00", "112", "At Risk"),
    ("2024-02-29", "B", 41, 1, "15.00", "-5.00", "111", "Lost"),
    ("2024-02-29", "C", 10, 2, "70.00", "70.00", "222", "Champions"),
    ("2024-02-29", "E", 25, 1, "10.00", "10.00", "221", "Potential Loyalists"),
    ("2024-03-31", "A", 27, 2, "150.00", "50.00", "222", "Champions"),
    ("2024-03-31", "B", 72, 1, "15.00", "0.00", "111", "Lost"),
    ("2024-03-31", "C", 41, 2, "70.00", "0.00", "122", "Cannot Lose Them"),
    ("2024-03-31", "D", 7, 1, "10.00", "10.00", "211", "New Customers"),
    ("2024-03-31", "E", 56, 1, "0.00", "-10.00", None, "No Net Spend"),
]

# (pair, from, to, customers, revenue in the later period, direction)
HAND_TRANSITIONS = [
    ("consecutive", "2024-01-31", "At Risk", "At Risk", 1, "0.00", "same"),
    ("consecutive", "2024-01-31", "Potential Loyalists", "Lost", 1, "-5.00", "down"),
    ("consecutive", "2024-01-31", "Not yet a customer", "Champions", 1, "70.00", "up"),
    ("consecutive", "2024-01-31", "Not yet a customer", "Potential Loyalists", 1, "10.00", "up"),
    ("consecutive", "2024-02-29", "At Risk", "Champions", 1, "50.00", "up"),
    ("consecutive", "2024-02-29", "Lost", "Lost", 1, "0.00", "same"),
    ("consecutive", "2024-02-29", "Champions", "Cannot Lose Them", 1, "0.00", "down"),
    ("consecutive", "2024-02-29", "Not yet a customer", "New Customers", 1, "10.00", "up"),
    ("consecutive", "2024-02-29", "Potential Loyalists", "No Net Spend", 1, "-10.00", "down"),
    ("first_to_last", "2024-01-31", "At Risk", "Champions", 1, "50.00", "up"),
    ("first_to_last", "2024-01-31", "Potential Loyalists", "Lost", 1, "0.00", "down"),
    ("first_to_last", "2024-01-31", "Not yet a customer", "Cannot Lose Them", 1, "0.00", "up"),
    ("first_to_last", "2024-01-31", "Not yet a customer", "New Customers", 1, "10.00", "up"),
    ("first_to_last", "2024-01-31", "Not yet a customer", "No Net Spend", 1, "-10.00", "up"),
]


@pytest.fixture(scope="module")
def hand_history(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    built = Workspace(tmp_path_factory.mktemp("hand-history"))
    path = write_csv(built.root / "purchases.csv", HAND_ROWS, header=["order_id", "customer_id", "purchased_at",
                                                                       "amount"])
    built.build({"purchases_path": str(path), **HAND_VARS})
    return built


def test_hand_computed_history(hand_history: Workspace) -> None:
    rows = hand_history.rows("fct_customer_rfm_history", "period_end_date, customer_id")
    got = [(str(row["period_end_date"]), row["customer_id"], row["recency_days"], row["order_count"],
            str(row["monetary_amount"]), str(row["period_revenue"]), row["rfm_cell"], row["segment"])
           for row in rows]
    assert got == HAND_EXPECTED


def test_hand_computed_transitions(hand_history: Workspace) -> None:
    rows = hand_history.rows("rpt_segment_transitions",
                             "pair_type, from_period_end_date, to_period_end_date, from_segment, to_segment")
    got = sorted((row["pair_type"], str(row["from_period_end_date"]), row["from_segment"], row["to_segment"],
                  row["customer_count"], str(row["revenue"]), row["direction"]) for row in rows)
    assert got == sorted(HAND_TRANSITIONS)
    assert {(str(row["from_period_end_date"]), str(row["to_period_end_date"])) for row in rows} == {
        ("2024-01-31", "2024-02-29"), ("2024-02-29", "2024-03-31"), ("2024-01-31", "2024-03-31")}


def test_hand_computed_segment_history(hand_history: Workspace) -> None:
    rows = hand_history.rows("rpt_segment_history", "period_number, sort_order")
    assert len(rows) == 3 * 12  # every catalogue segment at every period end
    filled = {(row["period_number"], row["segment"]): (row["customer_count"], str(row["revenue"]))
              for row in rows if row["customer_count"]}
    assert filled == {
        (1, "At Risk"): (1, "100.00"), (1, "Potential Loyalists"): (1, "20.00"),
        (2, "At Risk"): (1, "0.00"), (2, "Lost"): (1, "-5.00"), (2, "Champions"): (1, "70.00"),
        (2, "Potential Loyalists"): (1, "10.00"),
        (3, "Champions"): (1, "50.00"), (3, "Lost"): (1, "0.00"), (3, "Cannot Lose Them"): (1, "0.00"),
        (3, "New Customers"): (1, "10.00"), (3, "No Net Spend"): (1, "-10.00")}
    shares = {row["period_number"]: row["customer_share"] for row in rows if row["segment"] == "Champions"}
    assert shares == {1: Decimal("0"), 2: Decimal("0.25"), 3: Decimal("0.2")}


def test_history_export_follows_its_var(hand_history: Workspace, tmp_path: Path) -> None:
    assert "fct_customer_rfm_history" in {table["name"] for table in hand_history.manifest()["tables"]}
    off = Workspace(tmp_path)
    path = write_csv(off.root / "purchases.csv", HAND_ROWS, header=["order_id", "customer_id", "purchased_at",
                                                                     "amount"])
    off.build({"purchases_path": str(path), **HAND_VARS, "export_rfm_history": False})
    names = {table["name"] for table in off.manifest()["tables"]}
    assert "fct_customer_rfm_history" not in names and set(HISTORY_TABLES) <= names
    assert not (off.exports / "fct_customer_rfm_history.parquet").exists()
    # kept in the database all the same
    assert database_rows(off, "select count(*) as n from fct_customer_rfm_history") == [{"n": 11}]


# --- the sample: each period end equals a rebuild at its reference date ----

def test_last_period_equals_fct_customer_rfm(sample_build: Workspace) -> None:
    """The sample's reference date (2025-07-01) starts a month: the latest month
    end is scored exactly as fct_customer_rfm, customer by customer."""
    columns = ", ".join(COMPARED)
    history = database_rows(sample_build, f"select customer_id, {columns} from fct_customer_rfm_history "
                            "where period_end_date = date '2025-06-30' order by customer_id")
    current = database_rows(sample_build, f"select customer_id, {columns} from fct_customer_rfm order by customer_id")
    assert len(current) == 3000
    assert history == current
    assert database_rows(sample_build, "select count(distinct period_end_date) as n from fct_customer_rfm_history") \
        == [{"n": 12}]


def write_purchases_until(path: Path, last_date: str) -> Path:
    """The sample purchases dated on or before last_date (rows without a date too: rejected either way)."""
    with (PROJECT_DIR / "seeds" / "sample_purchases.csv").open(newline="") as source, \
            path.open("w", newline="") as target:
        reader = csv.reader(source)
        writer = csv.writer(target)
        writer.writerow(next(reader))
        writer.writerows(row for row in reader if not row[2][:1].isdigit() or row[2][:10] <= last_date)
    return path


REBUILD_CASES = {
    "weeks with a 120-day lookback": ({"rfm_history_grain": "week", "rfm_history_periods": 6,
                                       "rfm_lookback_days": 120}, 3),
    "quarters, percent_rank, 4 bins": ({"rfm_history_grain": "quarter", "rfm_history_periods": 4,
                                        "rfm_scoring_method": "percent_rank", "rfm_score_bins": 4}, 2),
}


@pytest.mark.parametrize("case", list(REBUILD_CASES))
def test_period_end_equals_a_rebuild_at_its_reference_date(case: str, tmp_path: Path) -> None:
    settings, period_number = REBUILD_CASES[case]
    history = Workspace(tmp_path / "history")
    history.build({**settings, "export_rfm_history": True, "demographics_enabled": False})
    period = database_rows(history, "select cast(period_end_date as varchar) as end_date, "
                           f"cast(reference_date as varchar) as reference from int_rfm_history_periods "
                           f"where period_number = {period_number}")[0]
    expected = {row["customer_id"]: row for row in history.rows("fct_customer_rfm_history", "customer_id")
                if str(row["period_end_date"]) == period["end_date"]}

    rebuilt = Workspace(tmp_path / "rebuilt")
    purchases = write_purchases_until(tmp_path / "purchases.csv", period["end_date"])
    rebuilt.build({**settings, "rfm_history_periods": 0, "demographics_enabled": False,
                   "purchases_path": str(purchases), "rfm_reference_date": period["reference"]})
    got = {row["customer_id"]: row for row in rebuilt.rows("fct_customer_rfm", "customer_id")}
    assert len(got) > 1000
    assert sorted(got) == sorted(expected)
    differing = [customer for customer, row in got.items()
                 if any(row[column] != expected[customer][column] for column in COMPARED)]
    assert not differing, [(got[c], expected[c]) for c in differing[:3]]


def test_transitions_account_for_every_customer_at_both_ends(sample_build: Workspace) -> None:
    history = {(str(row["period_end_date"]), row["segment"]): row["customer_count"]
               for row in database_rows(sample_build, "select * from rpt_segment_history")}
    transitions = database_rows(sample_build, "select * from rpt_segment_transitions")
    pairs = {(row["pair_type"], str(row["from_period_end_date"]), str(row["to_period_end_date"]))
             for row in transitions}
    assert len(pairs) == 12  # 11 consecutive pairs and first to last
    for pair_type, from_end, to_end in pairs:
        rows = [row for row in transitions if (row["pair_type"], str(row["from_period_end_date"]),
                                               str(row["to_period_end_date"])) == (pair_type, from_end, to_end)]
        for end, side in ((from_end, "from_segment"), (to_end, "to_segment")):
            counted: dict[str, int] = {}
            for row in rows:
                counted[row[side]] = counted.get(row[side], 0) + row["customer_count"]
            expected = {segment: count for (at, segment), count in history.items() if at == end and count}
            assert {s: c for s, c in counted.items() if s != "Not yet a customer"} == expected, (pair_type, end)
    assert {row["direction"] for row in transitions} == {"up", "down", "same"}


def test_history_off_builds_as_without_history(sample_build: Workspace, workspace: Workspace) -> None:
    """rfm_history_periods: 0 disables the history models: the same exports,
    byte for byte, minus the history's, and no history table in the database."""
    result = workspace.build({"rfm_history_periods": 0})
    assert "fct_customer_rfm_history" not in result.output
    for table in [table for table in EXPORTED_TABLES if table not in HISTORY_TABLES]:
        assert (workspace.published / f"{table}.parquet").read_bytes() == \
            (sample_build.published / f"{table}.parquet").read_bytes(), table
    on = {table["name"] for table in sample_build.manifest()["tables"]}
    off = {table["name"] for table in workspace.manifest()["tables"]}
    assert on - off == set(HISTORY_TABLES) and not off - on
    assert database_rows(workspace, "select count(*) as n from information_schema.tables "
                         "where table_name like '%history%' or table_name like '%transitions%'") == [{"n": 0}]
