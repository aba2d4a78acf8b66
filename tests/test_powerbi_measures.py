"""The Power BI measures compute the figures they promise.

The DAX is read from the committed template (what a user opens), evaluated
over the sample's exports (tests/dax_eval.py), and compared with the same
figure computed another way: from the segment summary mart, from the
purchase lines, or in Python. Each plain measure's DAX is also pinned to the
column, aggregate and filter it is documented to use.
"""

from __future__ import annotations

import json
import statistics
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from helpers.dax_eval import Aggregation, DaxModel, Relationship, Unsupported, aggregations, calculate_filters
from helpers.powerbi_files import read_pbit, utf16_json
from helpers.workspace import PROJECT_DIR, Workspace
from rfm_segmentation.powerbi import spec

pytestmark = pytest.mark.integration

PBIT = PROJECT_DIR / "powerbi" / f"{spec.REPORT_NAME}.pbit"
SEGMENT = ("dim_segments", "segment")
# Not plain aggregates: time intelligence and colours for conditional formatting.
NOT_PLAIN = {"Revenue Previous Month", "Revenue MoM %", "Segment Colour", "Champions Highlight Colour",
             "Revenue Same Month Last Year", "Revenue YoY %",
             # the box plots' parts (VAR, FILTER and MINX/MAXX: beyond tests/helpers/dax_eval.py)
             *(f"{short} {part}" for short in ("Recency", "Frequency", "Monetary")
               for part in ("Lower Whisker", "Upper Whisker", *spec.semantic_model.BOX_PLOT_PARTS)),
             # the segment on the axis through a variable; a text for the grid's cells
             "Inflow Customers", "Outflow Customers", "Grid Segment",
             # Pearson's r with VAR, SUMX and SWITCH over the customers (tests/test_powerbi.py pins its DAX)
             "Correlation in Selection", "RFM Correlation"}

C, P, V = "fct_customer_rfm", "fct_purchases", "fct_customer_clv"
T = "rpt_segment_transitions"
# measure -> (what it aggregates, its CALCULATE filters, the measures it uses)
EXPECTED_DAX: dict[str, tuple[set[Aggregation], set[tuple[str, ...]]]] = {
    "Total Customers": ({Aggregation("COUNTROWS", C, None)}, set()),
    "Average Purchases": ({Aggregation("AVERAGE", C, "order_count")}, set()),
    "Total Orders": ({Aggregation("SUM", C, "order_count")}, set()),
    # Net monetary value over every customer, scored or not (no filter), per order.
    "Average Order Value": ({Aggregation("SUM", C, "monetary_amount")}, set()),
    "Average Recency (days)": ({Aggregation("AVERAGE", C, "recency_days")}, set()),
    "Average Monetary": ({Aggregation("AVERAGE", C, "monetary_amount")}, set()),
    "Average R Score": ({Aggregation("AVERAGE", C, "recency_score")}, set()),
    "Average F Score": ({Aggregation("AVERAGE", C, "frequency_score")}, set()),
    "Average M Score": ({Aggregation("AVERAGE", C, "monetary_score")}, set()),
    "Customer Share %": (set(), {("REMOVEFILTERS", "dim_segments")}),
    "Champions Share %": (set(), {("REMOVEFILTERS", "dim_segments"),
                                  ("dim_segments", "segment", "=", spec.CHAMPIONS)}),
    "Recency Q1 (days)": ({Aggregation("PERCENTILE.INC", C, "recency_days")}, set()),
    "Recency Median (days)": ({Aggregation("MEDIAN", C, "recency_days")}, set()),
    "Recency Q3 (days)": ({Aggregation("PERCENTILE.INC", C, "recency_days")}, set()),
    "Frequency Q1": ({Aggregation("PERCENTILE.INC", C, "order_count")}, set()),
    "Frequency Median": ({Aggregation("MEDIAN", C, "order_count")}, set()),
    "Frequency Q3": ({Aggregation("PERCENTILE.INC", C, "order_count")}, set()),
    "Monetary Q1": ({Aggregation("PERCENTILE.INC", C, "monetary_amount")}, set()),
    "Monetary Median": ({Aggregation("MEDIAN", C, "monetary_amount")}, set()),
    "Monetary Q3": ({Aggregation("PERCENTILE.INC", C, "monetary_amount")}, set()),
    "Total Revenue": ({Aggregation("SUM", P, "amount")}, set()),
    "Revenue Share %": (set(), {("REMOVEFILTERS", "dim_segments")}),
    # counted by key: Power BI would merge ids that differ only in case
    "Active Customers": ({Aggregation("DISTINCTCOUNT", P, "customer_key")}, {(P, "is_return", "=", "False")}),
    "Reference Date": ({Aggregation("MAX", C, "reference_date")}, set()),
    "Total CLV 12m": ({Aggregation("SUM", V, "clv_12m")}, set()),
    "Average CLV 12m": ({Aggregation("AVERAGE", V, "clv_12m")}, set()),
    "CLV Share %": (set(), {("REMOVEFILTERS", "dim_segments")}),
    "Average P(alive)": ({Aggregation("AVERAGE", V, "p_alive")}, set()),
    "Expected Purchases 365d": ({Aggregation("SUM", V, "expected_purchases_365d")}, set()),
    "Valued Customers": ({Aggregation("COUNTROWS", V, None)}, set()),
    "Frequency Spend Correlation": ({Aggregation("MAX", "rpt_clv_model", "frequency_spend_correlation")}, set()),
    # first to last unless one comparison is picked: never both pair types summed
    "Moved Customers": ({Aggregation("SUM", T, "customer_count")}, {(T, "pair_type", "=", "first_to_last")}),
    "Moved Revenue": ({Aggregation("SUM", T, "revenue")}, {(T, "pair_type", "=", "first_to_last")}),
    "History Customers": ({Aggregation("SUM", "rpt_segment_history", "customer_count")}, set()),
    # over the customers (so that row-level security applies), scored ones only: the others have no cell
    "Grid Customers": ({Aggregation("COUNTROWS", C, None)}, {(C, "is_scored", "=", "True")}),
    "Grid Revenue": ({Aggregation("SUM", C, "monetary_amount")}, {(C, "is_scored", "=", "True")}),
}


def model_schema() -> dict[str, Any]:
    return utf16_json(read_pbit(PBIT)["DataModelSchema"])["model"]


def expression_text(value: str | list[str]) -> str:
    return "\n".join(value) if isinstance(value, list) else value


@pytest.fixture(scope="module")
def measures() -> dict[str, str]:
    return {item["name"]: expression_text(item["expression"])
            for table in model_schema()["tables"] for item in table.get("measures", [])}


@pytest.fixture(scope="module")
def dax(sample_build: Workspace, measures: dict[str, str]) -> DaxModel:
    relationships = [Relationship(r["fromTable"], r["fromColumn"], r["toTable"], r["toColumn"])
                     for r in model_schema()["relationships"] if r.get("isActive", True)]
    return DaxModel(sample_build.published, measures, relationships)  # the current build's files


@pytest.fixture(scope="module")
def summary(sample_build: Workspace) -> dict[str, dict[str, Any]]:
    return {row["segment"]: row for row in sample_build.rows("rpt_segment_summary", "sort_order")}


def rounded(value: Any, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def test_every_measure_is_either_checked_here_or_named_as_not_plain(measures: dict[str, str]) -> None:
    assert set(measures) == set(EXPECTED_DAX) | NOT_PLAIN


@pytest.mark.parametrize("name", list(EXPECTED_DAX))
def test_measure_dax_aggregates_the_documented_column_and_filter(measures: dict[str, str], name: str) -> None:
    expected_aggregations, expected_filters = EXPECTED_DAX[name]
    assert (aggregations(measures[name]), calculate_filters(measures[name])) == (
        expected_aggregations, expected_filters), measures[name]


def test_average_order_value_is_net_spend_per_order_over_all_customers(dax: DaxModel,
                                                                        sample_build: Workspace) -> None:
    """Counted from the purchase lines: net revenue of every customer (No Net
    Spend included) over the orders holding at least one purchase line."""
    (revenue, orders), = sample_build.query("""
        select sum(amount), count(*) filter (has_purchase)
        from (select customer_id, coalesce(order_id, cast(purchased_at as varchar)), sum(amount) as amount,
                     bool_or(amount >= 0) as has_purchase
              from fct_purchases group by 1, 2)""")
    unscored = sample_build.query("select count(*) from fct_customer_rfm where not is_scored")[0][0]
    assert unscored > 0, "the sample should have customers outside the scores for this to mean anything"
    assert dax.measure("Total Orders") == orders
    assert rounded(dax.measure("Average Order Value"), 6) == rounded(Decimal(revenue) / orders, 6)


def test_measures_per_segment_match_the_segment_summary(dax: DaxModel, summary: dict[str, dict[str, Any]],
                                                        sample_build: Workspace) -> None:
    """In each segment's filter context (as a slicer on dim_segments sets it),
    the measures give the summary mart's figures; empty segments give BLANK."""
    checked = 0
    for segment, row in summary.items():
        context = {SEGMENT: segment}
        count = row["customer_count"] or None

        def measure(name: str, places: int, context: dict[tuple[str, str], Any] = context) -> Decimal | None:
            return rounded(dax.measure(name, context), places)

        assert dax.measure("Total Customers", context) == count, segment
        assert dax.measure("Active Customers", context) == (count if count else 0), segment
        assert measure("Total Revenue", 2) == (row["revenue"] if count else None), segment
        assert measure("Average Purchases", 2) == row["average_order_count"], segment
        assert measure("Average Recency (days)", 2) == row["average_recency_days"], segment
        assert measure("Average Monetary", 2) == row["average_monetary_amount"], segment
        assert measure("Average R Score", 2) == row["average_recency_score"], segment
        assert measure("Average F Score", 2) == row["average_frequency_score"], segment
        assert measure("Average M Score", 2) == row["average_monetary_score"], segment
        assert measure("Customer Share %", 6) == (row["customer_share"] if count else None), segment
        assert measure("Revenue Share %", 6) == (row["revenue_share"] if count else None), segment
        # A Champions filter inside the measure replaces the slicer's segment.
        assert measure("Champions Share %", 6) == summary[spec.CHAMPIONS]["customer_share"], segment
        checked += bool(count)
    assert checked >= 8, "most segments should have customers in the sample"


def test_whole_model_totals(dax: DaxModel, sample_build: Workspace) -> None:
    (customers, revenue, orders), = sample_build.query(
        "select count(*), sum(monetary_amount), sum(order_count) from fct_customer_rfm")
    assert dax.measure("Total Customers") == customers
    assert dax.measure("Total Orders") == orders
    # Revenue from the purchase lines equals the customers' net spend.
    assert rounded(dax.measure("Total Revenue"), 2) == revenue
    assert dax.measure("Customer Share %") == 1 and dax.measure("Revenue Share %") == 1
    manifest = json.loads((sample_build.exports / "rfm_export_manifest.json").read_text())
    assert str(dax.measure("Reference Date")) == manifest["reference_date"]


@pytest.mark.parametrize("segment", [None, spec.CHAMPIONS, "Lost"])
def test_quartiles_and_medians_match_python(dax: DaxModel, sample_build: Workspace, segment: str | None) -> None:
    """PERCENTILE.INC is linear interpolation between closest ranks, as Python's
    statistics.quantiles(method='inclusive')."""
    where = "" if segment is None else f"where segment = '{segment}'"
    context = {} if segment is None else {SEGMENT: segment}
    for column, prefix, suffix in [("recency_days", "Recency", " (days)"), ("order_count", "Frequency", ""),
                                   ("monetary_amount", "Monetary", "")]:
        values = [Decimal(str(v)) for (v,) in sample_build.query(f"select {column} from fct_customer_rfm {where}")]
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        assert rounded(dax.measure(f"{prefix} Q1{suffix}", context), 4) == rounded(q1, 4), column
        assert rounded(dax.measure(f"{prefix} Median{suffix}", context), 4) == rounded(median, 4), column
        assert rounded(dax.measure(f"{prefix} Q3{suffix}", context), 4) == rounded(q3, 4), column


def test_the_evaluator_refuses_what_it_cannot_compute(dax: DaxModel) -> None:
    for name in NOT_PLAIN:
        with pytest.raises(Unsupported):
            dax.measure(name)


def test_value_measures_per_segment_match_the_clv_mart(dax: DaxModel, sample_build: Workspace) -> None:
    """Through fct_customer_clv -> fct_customer_rfm -> dim_segments, a segment filter reaches the predicted values."""
    rows = sample_build.query("""
        select r.segment, count(*), sum(v.clv_12m), avg(v.p_alive)
        from fct_customer_clv as v join fct_customer_rfm as r using (customer_id)
        group by r.segment order by r.segment""")
    assert rows, "the sample build should have predicted values (clv_enabled is on by default)"
    for segment, customers, total_clv, average_p_alive in rows:
        context = {SEGMENT: segment}
        assert dax.measure("Valued Customers", context) == customers, segment
        assert rounded(dax.measure("Total CLV 12m", context), 6) == rounded(total_clv, 6), segment
        assert rounded(dax.measure("Average P(alive)", context), 9) == rounded(average_p_alive, 9), segment


def test_grid_and_history_measures_per_segment_match_the_marts(dax: DaxModel, sample_build: Workspace) -> None:
    """The grid measures count fct_customer_rfm per dim_rfm_grid_cells cell (grid_cell_key) and give
    rpt_rfm_grid's figures, cell by cell and per segment; the history's segment_key reaches dim_segments."""
    cells = sample_build.query("select recency_grid_score, fm_grid_score, customer_count, revenue from rpt_rfm_grid")
    grid = sample_build.query("select segment, sum(customer_count), sum(revenue) from rpt_rfm_grid group by 1")
    history = dict(sample_build.query("select segment, sum(customer_count) from rpt_segment_history group by 1"))
    assert len(cells) == 25 and grid and history, "the sample build should have the grid and the history"
    for recency, fm, customers, revenue in cells:
        context = {("dim_rfm_grid_cells", "recency_grid_score"): recency, ("dim_rfm_grid_cells", "fm_grid_score"): fm}
        assert dax.measure("Grid Customers", context) == (customers or None), (recency, fm)
        assert rounded(dax.measure("Grid Revenue", context), 2) == (rounded(revenue, 2) if customers else None)
    assert sum(customers for _, _, customers, _ in cells) == dax.measure("Grid Customers") < dax.measure(
        "Total Customers"), "unscored customers have no cell and are not counted"
    for segment, customers, revenue in grid:
        context = {SEGMENT: segment}
        assert dax.measure("Grid Customers", context) == (customers or None), segment
        assert rounded(dax.measure("Grid Revenue", context), 2) == (rounded(revenue, 2) if customers else None)
    for segment, customers in history.items():
        assert dax.measure("History Customers", {SEGMENT: segment}) == customers, segment
