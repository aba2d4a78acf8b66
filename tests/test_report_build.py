"""`rfm report` on real builds: the figures equal the Parquet exports, and a
real browser (headless Chromium) opens the file offline with every chart
drawn and no console message."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.browser import chromium_missing_reason, open_page
from helpers.report_html import ReportPage, read_report
from helpers.workspace import PROJECT_DIR, Workspace
from rfm_segmentation.report import REPORT_NAME
from rfm_segmentation.report.build import write_report

pytestmark = pytest.mark.integration

SCREENSHOT = PROJECT_DIR / "target" / "rfm_report.png"
# A report is a few hundred KB; at 10M purchase lines it must stay a few MB.
MAX_REPORT_BYTES = 3_000_000


@pytest.fixture(scope="module")
def sample_report(sample_build: Workspace, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReportPage]:
    """The report the build published inside its folder, the same bytes as `rfm report` draws."""
    published = sample_build.published / REPORT_NAME
    out = tmp_path_factory.mktemp("report") / REPORT_NAME
    write_report(sample_build.published, out)
    assert published.read_bytes() == out.read_bytes()
    return published, read_report(published.read_text(encoding="utf-8"))


@pytest.fixture
def chromium() -> None:
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)


def test_overview_equals_the_exports(sample_build: Workspace, sample_report: tuple[Path, ReportPage]) -> None:
    _, page = sample_report
    (customers, orders, monetary, champions, reference), = sample_build.query(
        "select count(*), sum(order_count), sum(monetary_amount), count(*) filter (segment = 'Champions'), "
        "max(reference_date) from fct_customer_rfm")
    (lines, revenue), = sample_build.query("select count(*), sum(amount) from fct_purchases")
    overview = page.data["overview"]
    assert overview["total_customers"] == customers and overview["total_orders"] == orders
    assert overview["purchase_lines"] == lines
    assert overview["total_revenue"] == pytest.approx(float(revenue), abs=0.005)
    assert overview["champions_customers"] == champions
    assert page.kpis["total_customers"] == f"{customers:,}"
    assert page.kpis["total_revenue"] == f"{revenue:,.2f}"
    assert page.kpis["average_order_value"] == f"{monetary / orders:,.2f}"
    assert page.kpis["champions_share"] == f"{champions / customers:.1%}"
    assert page.kpis["reference_date"] == reference.isoformat()


def test_segment_figures_equal_the_exports(sample_build: Workspace, sample_report: tuple[Path, ReportPage]) -> None:
    _, page = sample_report
    summary = sample_build.query(
        "select s.segment, s.color_hex, r.customer_count, r.revenue, r.average_recency_score "
        "from dim_segments s join rpt_segment_summary r using (segment) order by s.sort_order")
    assert [(s["segment"], s["color_hex"], s["customer_count"], s["revenue"], s["average_recency_score"])
            for s in page.data["segments"]] == [
        (name, colour, count, float(revenue), None if score is None else float(score))
        for name, colour, count, revenue, score in summary]
    histogram = sample_build.query(
        "select rfm_score, count(*) from fct_customer_rfm where is_scored group by 1 order by 1")
    assert [(r["rfm_score"], r["customers"]) for r in page.data["rfm_score_histogram"]] == histogram
    top = sample_build.query("select customer_id from fct_customer_rfm order by monetary_amount desc, customer_id "
                             "limit 20")
    assert [r["customer_id"] for r in page.data["top_customers"]] == [row[0] for row in top]
    assert [row[0] for row in page.table_rows["top_customers"][1:]] == [row[0] for row in top]
    correlation = sample_build.query(
        "select measure_x, measure_y, correlation from rpt_segment_rfm_correlation where segment = 'Champions' "
        "order by measure_x_sort_order, measure_y_sort_order")
    assert [(r["measure_x"], r["measure_y"], r["correlation"]) for r in page.data["champions_correlation"]] == [
        (x, y, None if c is None else float(c)) for x, y, c in correlation]


def test_box_plots_and_trends_equal_the_exports(sample_build: Workspace,
                                                sample_report: tuple[Path, ReportPage]) -> None:
    _, page = sample_report
    # as doubles: DuckDB's quantile of a decimal is rounded to its scale; PERCENTILE.INC is not
    expected = sample_build.query(
        "select segment, quantile_cont(monetary_amount::double, 0.25), median(monetary_amount::double), "
        "quantile_cont(monetary_amount::double, 0.75) from fct_customer_rfm group by segment order by segment")
    got = sorted((r["segment"], r["q1"], r["median"], r["q3"]) for r in page.data["distributions"]
                 if r["measure"] == "monetary_amount")
    assert got == [(s, pytest.approx(float(a)), pytest.approx(float(b)), pytest.approx(float(c)))
                   for s, a, b, c in expected]
    monthly = sample_build.query(
        "select date_trunc('month', purchase_date)::date, sum(amount), count(distinct customer_id) "
        "filter (where not is_return) from fct_purchases group by 1 order by 1")
    assert [(r["month"], r["revenue"], r["active_customers"]) for r in page.data["monthly_totals"]] == [
        (month.isoformat(), pytest.approx(float(revenue), abs=0.005), active) for month, revenue, active in monthly]
    by_segment = sum(r["revenue"] for r in page.data["monthly_by_segment"])
    assert by_segment == pytest.approx(page.data["overview"]["total_revenue"], abs=0.01)
    customers_in_demographics = sum(r["customers"] for r in page.data["demographics"]["region"])
    assert customers_in_demographics == page.data["overview"]["total_customers"]


def test_the_report_is_small_and_self_contained(sample_report: tuple[Path, ReportPage]) -> None:
    out, page = sample_report
    assert out.stat().st_size < MAX_REPORT_BYTES
    # 13 charts, and the movement section's two: the sample build has a history.
    assert all(count == 1 for count in page.chart_svgs.values()) and len(page.chart_svgs) == 15
    assert set(page.empty_sections) == set()


def test_chromium_opens_the_report_offline(sample_report: tuple[Path, ReportPage], chromium: None) -> None:
    out, page = sample_report
    run = open_page(out, screenshot=SCREENSHOT)
    assert run.console == [], run.console
    loaded = read_report(run.dom)
    assert loaded.chart_svgs == page.chart_svgs  # every chart in the DOM as one svg
    assert loaded.kpis == page.kpis
    assert SCREENSHOT.stat().st_size > 10_000


def test_the_console_check_catches_errors(tmp_path: Path, chromium: None) -> None:
    """The browser check can fail: a script error reaches the console list."""
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>")
    run = open_page(broken)
    assert any("undefinedFunction is not defined" in message for message in run.console), run.console


def test_a_build_without_demographics_still_renders(workspace: Workspace, chromium: None) -> None:
    workspace.build({"demographics_enabled": False})
    out = workspace.root / "rfm_report.html"
    write_report(workspace.published, out)
    page = read_report(out.read_text(encoding="utf-8"))
    assert "demographics_enabled" in page.empty_sections["demographics"]
    assert not any(name.startswith("demographics_") for name in page.chart_svgs)
    run = open_page(out)
    assert run.console == [], run.console
    loaded = read_report(run.dom)
    assert loaded.chart_svgs == page.chart_svgs and all(count == 1 for count in loaded.chart_svgs.values())
    assert loaded.empty_sections["demographics"] == page.empty_sections["demographics"]
