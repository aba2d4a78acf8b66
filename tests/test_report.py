"""`rfm report` on hand-made export folders: exact figures, empty sections
that say why, the movement exports, bad input, determinism, nothing fetched."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from helpers.report_exports import CUSTOMERS_SQL, HISTORY_SQL, write_exports, write_table
from helpers.report_html import ReportPage, read_report
from rfm_segmentation.cli import main
from rfm_segmentation.errors import UserError
from rfm_segmentation.report import data as report_data
from rfm_segmentation.report.build import write_report

pytestmark = pytest.mark.unit

ALWAYS_CHARTS = {"segment_customers", "segment_treemap", "rfm_distributions", "average_scores",
                 "rfm_score_histogram", "champions_correlation", "monthly_revenue", "monthly_active_customers",
                 "revenue_change"}
DEMOGRAPHIC_CHARTS = {"demographics_age_band", "demographics_gender", "demographics_region",
                      "demographics_home_store"}


def _report(tmp_path: Path, **exports: bool) -> ReportPage:
    folder = write_exports(tmp_path / "exports", **exports)
    out = tmp_path / "report.html"
    result = write_report(folder, out)
    assert result.path == out and result.size_bytes == out.stat().st_size
    return read_report(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def default_page(tmp_path_factory: pytest.TempPathFactory) -> ReportPage:
    """The report of the default hand-made exports, shared by the tests that only read it."""
    return _report(tmp_path_factory.mktemp("report"))


def test_overview_figures_and_kpis_are_the_hand_computed_ones(default_page: ReportPage) -> None:
    page = default_page
    overview = page.data["overview"]
    assert overview == {
        "total_customers": 7, "scored_customers": 6, "total_orders": 17, "average_purchases": 2.43,
        "average_order_value": 88.53,  # 1505 / 17
        "total_revenue": 1505.0, "champions_customers": 5, "champions_share": 0.714286, "purchase_lines": 9,
        "reference_date": "2025-07-01", "first_purchase_date": "2024-09-04", "last_purchase_date": "2025-06-30"}
    assert page.kpis == {"total_customers": "7", "average_purchases": "2.43", "average_order_value": "88.53",
                         "total_revenue": "1,505.00", "champions_share": "71.4%", "purchase_lines": "9",
                         "reference_date": "2025-07-01"}
    assert page.data["build"] == {"built_at": "2025-07-01T08:00:00Z", "reference_date": "2025-07-01",
                                  "rfm_score_bins": 5, "rfm_scoring_method": "ntile"}


def test_every_chart_is_one_inline_svg(default_page: ReportPage) -> None:
    page = default_page
    assert set(page.chart_svgs) == ALWAYS_CHARTS | DEMOGRAPHIC_CHARTS
    assert all(count == 1 for count in page.chart_svgs.values()), page.chart_svgs


def test_segment_figures(default_page: ReportPage) -> None:
    page = default_page
    assert [(s["segment"], s["customer_count"], s["revenue"], s["color_hex"]) for s in page.data["segments"]] == [
        ("Champions", 5, 1500.0, "#1B7F3B"), ("Lost", 1, 10.0, "#616161"), ("No Net Spend", 1, -5.0, "#795548")]
    scores = (3, 9, 10, 12, 14, 15)
    assert page.data["rfm_score_histogram"] == [{"rfm_score": score, "customers": 1} for score in scores]
    assert [r["customer_id"] for r in page.data["top_customers"]] == ["C1", "C2", "C3", "C4", "C5", "L1", "N1"]
    catalogue = page.table_rows["catalogue"]
    assert catalogue[1][:4] == ["Champions", "Buy often.", "Reward them.", "5"]
    # Catalogue text is escaped, not interpreted.
    assert catalogue[3][1:3] == ["Refunded <everything>.", 'Review "refunds".']


def test_box_plot_figures_follow_percentile_inc_and_tukey_whiskers(default_page: ReportPage) -> None:
    page = default_page
    recency = next(r for r in page.data["distributions"]
                   if r["segment"] == "Champions" and r["measure"] == "recency_days")
    assert recency == {"segment": "Champions", "measure": "recency_days", "customers": 5, "minimum": 1.0,
                       "lower_whisker": 1.0, "q1": 2.0, "median": 3.0, "q3": 4.0, "upper_whisker": 4.0,
                       "maximum": 100.0}
    monetary = next(r for r in page.data["distributions"]
                    if r["segment"] == "Champions" and r["measure"] == "monetary_amount")
    assert (monetary["q1"], monetary["median"], monetary["q3"], monetary["upper_whisker"]) == (200, 300, 400, 500)
    assert [(r["segment"], r["measure"]) for r in page.data["distributions"]][:3] == [
        ("Champions", "recency_days"), ("Champions", "order_count"), ("Champions", "monetary_amount")]


def test_correlation_is_champions_only(default_page: ReportPage) -> None:
    page = default_page
    matrix = {(r["measure_x"], r["measure_y"]): r["correlation"] for r in page.data["champions_correlation"]}
    assert len(matrix) == 9
    assert matrix[("recency_days", "order_count")] == -0.5
    assert matrix[("order_count", "monetary_amount")] == 0.25
    assert matrix[("recency_days", "monetary_amount")] is None


def test_monthly_trends_and_change_on_the_calendar_month_before(default_page: ReportPage) -> None:
    page = default_page
    assert page.data["monthly_totals"] == [
        {"month": "2024-09-01", "purchase_lines": 1, "revenue": 10.0, "active_customers": 1, "revenue_change": None},
        # no purchase in February or April: no change, as Power BI's DATEADD gives blank
        {"month": "2025-03-01", "purchase_lines": 1, "revenue": 100.0, "active_customers": 1, "revenue_change": None},
        {"month": "2025-05-01", "purchase_lines": 3, "revenue": 195.0, "active_customers": 2, "revenue_change": None},
        {"month": "2025-06-01", "purchase_lines": 4, "revenue": 1200.0, "active_customers": 4,
         "revenue_change": 5.153846}]
    may = {r["segment"]: r for r in page.data["monthly_by_segment"] if r["month"] == "2025-05-01"}
    assert may["Champions"]["revenue"] == 200.0 and may["Champions"]["active_customers"] == 1
    # a return alone does not make an active customer; it still nets revenue
    assert may["No Net Spend"]["revenue"] == -5.0 and may["No Net Spend"]["active_customers"] == 1


def test_demographics_by_segment_and_small_categories_grouped(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_data, "MAX_CATEGORIES", 2)
    page = _report(tmp_path)
    regions = [(r["category"], r["segment"], r["customers"]) for r in page.data["demographics"]["region"]]
    # R1 has 3 customers, R3 2; R2 and Unknown (1 each) become Other, last.
    assert regions == [("R1", "Champions", 2), ("R1", "Lost", 1), ("R3", "Champions", 2),
                       ("Other", "Champions", 1), ("Other", "No Net Spend", 1)]
    bands = list(dict.fromkeys(r["category"] for r in page.data["demographics"]["age_band"]))
    assert bands == ["18-24", "25-34", "65+", "Unknown"]  # by age_band_sort_order, never grouped


def test_without_demographics_the_section_says_why(tmp_path: Path) -> None:
    page = _report(tmp_path, demographics=False)
    assert page.data["demographics"] is None
    assert "dim_customers.parquet is not in the exports" in page.empty_sections["demographics"]
    assert "demographics_enabled" in page.empty_sections["demographics"]
    assert set(page.chart_svgs) == ALWAYS_CHARTS


def test_without_history_the_movement_section_says_why(default_page: ReportPage) -> None:
    page = default_page
    note = page.empty_sections["movement"]
    assert "rfm_history_periods" in note and "rpt_segment_history.parquet" in note
    assert "rpt_segment_transitions.parquet" in note
    assert page.data["segment_history"] is None and page.data["segment_transitions"] is None


def test_movement_from_the_history_exports(tmp_path: Path) -> None:
    page = _report(tmp_path, history=True)
    assert "movement" not in page.empty_sections
    assert page.chart_svgs["segment_history"] == 1 and page.chart_svgs["segment_transitions"] == 1
    assert [(r["period_end"], r["segment"], r["customers"], r["share"]) for r in page.data["segment_history"]][-3:] == [
        ("2025-06-30", "Champions", 5, 0.714286), ("2025-06-30", "Lost", 1, 0.142857),
        ("2025-06-30", "No Net Spend", 1, 0.142857)]
    assert len(page.data["segment_transitions"]) == 4
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    # the heat map shows the latest pair of period ends only
    assert "From the segments at 2025-03-31 (rows) to those at 2025-06-30 (columns)." in html


def test_a_movement_export_of_the_wrong_shape_is_named(tmp_path: Path) -> None:
    folder = write_exports(tmp_path / "exports", history=True)
    with duckdb.connect() as connection:
        write_table(connection, folder / "rpt_segment_history.parquet",
                    f"select * exclude (customer_share) from ({HISTORY_SQL})")
    with pytest.raises(UserError, match=r"rpt_segment_history\.parquet' lacks the column\(s\) customer_share"):
        write_report(folder, tmp_path / "report.html")


def test_an_incomplete_export_folder_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_exports(tmp_path / "exports")
    (folder / "fct_purchases.parquet").unlink()
    assert main(["report", "--exports", str(folder)]) == 2
    error = capsys.readouterr().err
    assert "fct_purchases.parquet missing" in error and "Traceback" not in error
    assert not (folder / "rfm_report.html").exists()
    assert main(["report", "--exports", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_cli_writes_next_to_the_exports_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_exports(tmp_path / "exports", demographics=False)
    assert main(["report", "--exports", str(folder)]) == 0
    assert (folder / "rfm_report.html").is_file()
    output = capsys.readouterr().out
    assert f"Report: {folder / 'rfm_report.html'}" in output and "demographics: empty" in output
    assert not list(folder.glob(".rfm_report-*")), "no temporary file left behind"


def test_the_same_exports_give_the_same_bytes_whatever_the_row_order(tmp_path: Path) -> None:
    folder = write_exports(tmp_path / "exports", history=True)
    write_report(folder, tmp_path / "first.html")
    with duckdb.connect() as connection:
        write_table(connection, folder / "fct_customer_rfm.parquet",
                    f"select * from ({CUSTOMERS_SQL}) order by customer_id desc")
    write_report(folder, tmp_path / "second.html")
    assert (tmp_path / "first.html").read_bytes() == (tmp_path / "second.html").read_bytes()


def test_nothing_is_fetched_and_no_script_runs(tmp_path: Path) -> None:
    page = _report(tmp_path, history=True)
    assert page.script_elements == [{"tag": "script", "type": "application/json", "id": "rfm-report-data"}]
    assert all(reference.startswith("#") for reference in page.references), page.references
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    # url() only to the SVGs' own gradients and clip paths, by id
    assert not re.search(r"url\((?!#rfm-)|@import|<img|<iframe", html)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique in the page"
