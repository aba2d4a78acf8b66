"""The report pages: their visuals, positions and filters, over the semantic model's fields."""

from __future__ import annotations

from rfm_segmentation.powerbi.elements import Field, Filter, Page, Visual, column
from rfm_segmentation.powerbi.spec.semantic_model import CHAMPIONS, measure

TOP_CUSTOMERS = 20

PAGE_WIDTH, PAGE_HEIGHT = 1280, 720
_LEFT, _MAIN, _MAIN_WIDTH, _GAP = 16, 232, 1032, 16
_HALF = (_MAIN_WIDTH - _GAP) // 2
_THIRD = (_MAIN_WIDTH - 2 * _GAP) // 3

_SEGMENT = column("dim_segments", "segment", "Segment")
_MONTH = column("dim_dates", "month_start_date", "Month")


def _header(page: str, text: str) -> Visual:
    return Visual(f"{page}_header", "textbox", _LEFT, 12, PAGE_WIDTH - 2 * _LEFT, 48, text=text)


def _slicers(page: str) -> tuple[Visual, ...]:
    """The same three slicers on every page, synchronised across pages."""
    slicers = (("region", column("dim_customers", "region", "Region")),
               ("home_store", column("dim_customers", "home_store_id", "Home store")),
               ("segment", _SEGMENT))
    return tuple(
        Visual(f"{page}_slicer_{group}", "slicer", _LEFT, 72 + index * 76, 200, 64, title=field_.label or "",
               roles=(("Values", (field_,)),), sort=((field_, False),), sync_group=group,
               objects=(("data", (("mode", "Dropdown"),)),))
        for index, (group, field_) in enumerate(slicers))


def _card(name: str, x: int, y: int, width: int, title: str, value: Field) -> Visual:
    return Visual(name, "card", x, y, width, 100, title=title, roles=(("Values", (value,)),),
                  objects=(("categoryLabels", (("show", False),)),))


def _by_segment(name: str, visual_type: str, x: int, y: int, width: int, height: int, title: str,
                category: Field) -> Visual:
    """Customers per category, split by segment in catalogue colours."""
    return Visual(name, visual_type, x, y, width, height, title=title,
                  roles=(("Category", (category,)), ("Y", (measure("Total Customers", "Customers"),)),
                         ("Series", (_SEGMENT,))),
                  sort=((category, False),), colour_by="segment_series")


_CARD_WIDTH = (_MAIN_WIDTH - 3 * _GAP) // 4

OVERVIEW = Page("overview", "Overview", (
    _header("overview", "RFM segmentation: overview"),
    *_slicers("overview"),
    _card("overview_reference_date", _LEFT, 308, 200, "Reference date", measure("Reference Date")),
    _card("overview_total_customers", _MAIN, 72, _CARD_WIDTH, "Total customers", measure("Total Customers")),
    _card("overview_average_purchases", _MAIN + (_CARD_WIDTH + _GAP), 72, _CARD_WIDTH, "Average purchases",
          measure("Average Purchases")),
    _card("overview_average_order_value", _MAIN + 2 * (_CARD_WIDTH + _GAP), 72, _CARD_WIDTH, "Average order value",
          measure("Average Order Value")),
    _card("overview_total_revenue", _MAIN + 3 * (_CARD_WIDTH + _GAP), 72, _CARD_WIDTH, "Total revenue",
          measure("Total Revenue")),
    Visual("overview_rfm_score_histogram", "clusteredColumnChart", _MAIN, 188, _HALF, 250,
           title="Customers by RFM score (R + F + M)",
           roles=(("Category", (column("fct_customer_rfm", "rfm_score", "RFM score"),)),
                  ("Y", (measure("Total Customers", "Customers"),))),
           sort=((column("fct_customer_rfm", "rfm_score"), False),),
           filters=(Filter(column("fct_customer_rfm", "is_scored"), values=(True,)),)),
    Visual("overview_segment_treemap", "treemap", _MAIN + _HALF + _GAP, 188, _HALF, 250,
           title="Customers by segment",
           roles=(("Group", (_SEGMENT,)), ("Values", (measure("Total Customers", "Customers"),))),
           sort=((measure("Total Customers"), True),), colour_by=measure("Segment Colour")),
    Visual("overview_top_customers", "tableEx", _MAIN, 454, _MAIN_WIDTH, 250,
           title=f"Top {TOP_CUSTOMERS} customers by spending",
           # customer_key keeps apart ids Power BI would merge ('C001' and 'c001': it ignores case)
           roles=(("Values", (column("fct_customer_rfm", "customer_key", "Key"),
                              column("fct_customer_rfm", "customer_id", "Customer"), _SEGMENT,
                              column("fct_customer_rfm", "rfm_score", "RFM score"),
                              column("fct_customer_rfm", "rfm_cell", "R F M"),
                              column("fct_customer_rfm", "order_count", "Orders"),
                              column("fct_customer_rfm", "recency_days", "Recency (days)"),
                              measure("Total Revenue", "Spending"))),),
           sort=((measure("Total Revenue"), True),),
           filters=(Filter(column("fct_customer_rfm", "customer_key"), top_n=TOP_CUSTOMERS,
                           order_by=measure("Total Revenue")),)),
))

SEGMENTS = Page("segments", "Segments", (
    _header("segments", "Segments: size, scores and value"),
    *_slicers("segments"),
    Visual("segments_customers", "clusteredBarChart", _MAIN, 72, _THIRD, 300,
           title=f"Customers per segment ({CHAMPIONS} highlighted)",
           roles=(("Category", (_SEGMENT,)), ("Y", (measure("Total Customers", "Customers"),))),
           sort=((_SEGMENT, False),), colour_by=measure("Champions Highlight Colour")),
    Visual("segments_average_scores", "clusteredBarChart", _MAIN + _THIRD + _GAP, 72, _THIRD, 300,
           title="Average R, F and M scores per segment",
           roles=(("Category", (_SEGMENT,)),
                  ("Y", (measure("Average R Score", "R"), measure("Average F Score", "F"),
                         measure("Average M Score", "M")))),
           sort=((_SEGMENT, False),)),
    Visual("segments_shares", "clusteredBarChart", _MAIN + 2 * (_THIRD + _GAP), 72, _THIRD, 300,
           title="Share of customers and of revenue by segment",
           roles=(("Category", (_SEGMENT,)),
                  ("Y", (measure("Customer Share %", "Customers"), measure("Revenue Share %", "Revenue")))),
           sort=((_SEGMENT, False),)),
    _card("segments_champions_share", _LEFT, 308, 200, f"{CHAMPIONS} share", measure("Champions Share %")),
    Visual("segments_catalogue", "tableEx", _MAIN, 388, _MAIN_WIDTH, 316,
           title="Segment catalogue and recommended actions",
           roles=(("Values", (_SEGMENT, column("dim_segments", "description", "Who they are"),
                              column("dim_segments", "recommended_action", "Recommended action"),
                              measure("Total Customers", "Customers"),
                              measure("Customer Share %", "Customer share"),
                              measure("Revenue Share %", "Revenue share"))),),
           sort=((_SEGMENT, False),)),
))

_CORRELATION = measure("RFM Correlation", "Correlation")

RFM_VALUES = Page("rfm_values", "RFM values", (
    _header("rfm_values", "RFM values: distributions and correlations"),
    *_slicers("rfm_values"),
    Visual("rfm_values_scatter", "scatterChart", _MAIN, 72, _HALF, 300,
           title="Recency and spending per customer, by segment",
           roles=(("Category", (column("fct_customer_rfm", "customer_key", "Customer"),)), ("Series", (_SEGMENT,)),
                  ("X", (measure("Average Recency (days)", "Recency (days)"),)),
                  ("Y", (measure("Average Monetary", "Spending"),)),
                  ("Size", (measure("Average Purchases", "Orders"),))),
           colour_by="segment_series"),
    _by_segment("rfm_values_frequency", "columnChart", _MAIN + _HALF + _GAP, 72, _HALF, 300,
                "Customers by number of orders, by segment", column("fct_customer_rfm", "order_count", "Orders")),
    Visual("rfm_values_quartiles", "tableEx", _MAIN, 388, 620, 316,
           title="Recency, frequency and monetary quartiles per segment",
           roles=(("Values", (_SEGMENT, measure("Recency Q1 (days)", "Recency Q1"),
                              measure("Recency Median (days)", "Recency median"),
                              measure("Recency Q3 (days)", "Recency Q3"),
                              measure("Frequency Q1"), measure("Frequency Median"), measure("Frequency Q3"),
                              measure("Monetary Q1"), measure("Monetary Median"), measure("Monetary Q3"))),),
           sort=((_SEGMENT, False),)),
    Visual("rfm_values_correlation", "pivotTable", _MAIN + 620 + _GAP, 388, _MAIN_WIDTH - 620 - _GAP, 316,
           # follows the segment slicer; RFM Correlation shows Champions while no segment is selected
           title=f"Correlation of R, F and M values (selected segments; {CHAMPIONS} by default)",
           roles=(("Rows", (column("dim_rfm_value_pairs", "measure_x", "Value"),)),
                  ("Columns", (column("dim_rfm_value_pairs", "measure_y", "Compared with"),)),
                  ("Values", (_CORRELATION,))),
           objects=(("subTotals", (("rowSubtotals", False), ("columnSubtotals", False))),),
           heat_map=_CORRELATION),
))

_HALF_HEIGHT = 308
DEMOGRAPHICS = Page("demographics", "Demographics", (
    _header("demographics", "Demographics: who is in each segment"),
    *_slicers("demographics"),
    _by_segment("demographics_age_band", "hundredPercentStackedBarChart", _MAIN, 72, _HALF, _HALF_HEIGHT,
                "Segments by age band", column("dim_customers", "age_band", "Age band")),
    _by_segment("demographics_gender", "hundredPercentStackedBarChart", _MAIN + _HALF + _GAP, 72, _HALF,
                _HALF_HEIGHT, "Segments by gender", column("dim_customers", "gender", "Gender")),
    _by_segment("demographics_region", "hundredPercentStackedBarChart", _MAIN, 72 + _HALF_HEIGHT + _GAP, _HALF,
                _HALF_HEIGHT, "Segments by region", column("dim_customers", "region", "Region")),
    _by_segment("demographics_store", "hundredPercentStackedBarChart", _MAIN + _HALF + _GAP,
                72 + _HALF_HEIGHT + _GAP, _HALF, _HALF_HEIGHT, "Segments by home store",
                column("dim_customers", "home_store_id", "Home store")),
))

TRENDS = Page("trends", "Trends", (
    _header("trends", "Trends: monthly revenue and active customers"),
    *_slicers("trends"),
    Visual("trends_revenue", "columnChart", _MAIN, 72, _MAIN_WIDTH, 200,
           title="Monthly revenue by segment",
           roles=(("Category", (_MONTH,)), ("Y", (measure("Total Revenue", "Revenue"),)), ("Series", (_SEGMENT,))),
           sort=((_MONTH, False),), colour_by="segment_series"),
    Visual("trends_active_customers", "lineChart", _MAIN, 288, _MAIN_WIDTH, 200,
           title="Monthly active customers by segment",
           roles=(("Category", (_MONTH,)), ("Y", (measure("Active Customers", "Active customers"),)),
                  ("Series", (_SEGMENT,))),
           sort=((_MONTH, False),), colour_by="segment_series"),
    Visual("trends_month_over_month", "tableEx", _MAIN, 504, _HALF, 200,
           title="Revenue month over month",
           roles=(("Values", (_MONTH, measure("Total Revenue", "Revenue"),
                              measure("Revenue Previous Month", "Previous month"),
                              measure("Revenue MoM %", "Change"))),),
           sort=((_MONTH, True),)),
    Visual("trends_month_over_month_chart", "clusteredColumnChart", _MAIN + _HALF + _GAP, 504, _HALF, 200,
           title="Revenue change on the month before",
           roles=(("Category", (_MONTH,)), ("Y", (measure("Revenue MoM %", "Change"),))),
           sort=((_MONTH, False),)),
))

PAGES: tuple[Page, ...] = (OVERVIEW, SEGMENTS, RFM_VALUES, DEMOGRAPHICS, TRENDS)
