"""The report pages: their visuals, positions and filters, over the semantic model's fields."""

from __future__ import annotations

from rfm_segmentation.powerbi.elements import Field, Filter, Page, Visual, column
from rfm_segmentation.powerbi.spec.semantic_model import BOX_PLOT_PARTS, CHAMPIONS, measure

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

_DATE_RANGE = column("dim_dates", "date_day", "Dates")

TRENDS = Page("trends", "Trends", (
    _header("trends", "Trends: monthly revenue and active customers"),
    *_slicers("trends"),
    # a range of dates (From / To and a handle bar), filtering the purchases of every visual here
    Visual("trends_date_range", "slicer", _LEFT, 300, 200, 120, title="Purchase dates",
           roles=(("Values", (_DATE_RANGE,)),), objects=(("data", (("mode", "Between"),)),)),
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
           title="Revenue month over month and year over year",
           roles=(("Values", (_MONTH, measure("Total Revenue", "Revenue"),
                              measure("Revenue Previous Month", "Previous month"),
                              measure("Revenue MoM %", "MoM"),
                              measure("Revenue Same Month Last Year", "Same month last year"),
                              measure("Revenue YoY %", "YoY"))),),
           sort=((_MONTH, True),)),
    Visual("trends_month_over_month_chart", "clusteredColumnChart", _MAIN + _HALF + _GAP, 504, _HALF, 200,
           title="Revenue change on the month before and on the year before",
           roles=(("Category", (_MONTH,)), ("Y", (measure("Revenue MoM %", "Month over month"),
                                                  measure("Revenue YoY %", "Year over year")))),
           sort=((_MONTH, False),)),
))

# Box plots from native stacked bars: each part is a measure, coloured per measure; the base
# is white (the page colour) so each bar starts at the lower whisker.
_BOX_COLOURS = ("#FFFFFF", "#BDBDBD", "#6A9ACB", "#2F5F8A", "#BDBDBD")
_BOX_LABELS = ("0 to lower whisker (hidden)", "Lower whisker to Q1", "Q1 to median", "Median to Q3",
               "Q3 to upper whisker")


def _box_plot(name: str, x: int, title: str, short: str) -> Visual:
    parts = tuple(measure(f"{short} {part}", label) for part, label in zip(BOX_PLOT_PARTS, _BOX_LABELS, strict=True))
    return Visual(name, "barChart", x, 72, _THIRD, 320, title=title,
                  roles=(("Category", (_SEGMENT,)), ("Y", parts)), sort=((_SEGMENT, False),),
                  series_colours=tuple(zip(parts, _BOX_COLOURS, strict=True)),
                  objects=(("legend", (("show", False),)),))


_STORE = column("fct_purchases", "store_id", "Store of sale")

DISTRIBUTIONS = Page("distributions", "Distributions", (
    _header("distributions", "Distributions per segment, and revenue by store of sale"),
    *_slicers("distributions"),
    _box_plot("distributions_recency", _MAIN, "Recency (days): whiskers, Q1, median, Q3", "Recency"),
    _box_plot("distributions_frequency", _MAIN + _THIRD + _GAP, "Orders: whiskers, Q1, median, Q3", "Frequency"),
    _box_plot("distributions_monetary", _MAIN + 2 * (_THIRD + _GAP), "Spending: whiskers, Q1, median, Q3",
              "Monetary"),
    Visual("distributions_store_revenue", "barChart", _MAIN, 408, _HALF, 296,
           title="Revenue by store of sale and segment",
           roles=(("Category", (_STORE,)), ("Y", (measure("Total Revenue", "Revenue"),)), ("Series", (_SEGMENT,))),
           sort=((_STORE, False),), colour_by="segment_series"),
    Visual("distributions_store_mix", "hundredPercentStackedBarChart", _MAIN + _HALF + _GAP, 408, _HALF, 296,
           title="Segment mix of each store's revenue",
           roles=(("Category", (_STORE,)), ("Y", (measure("Total Revenue", "Revenue"),)), ("Series", (_SEGMENT,))),
           sort=((_STORE, False),), colour_by="segment_series"),
))

_CUSTOMER = column("fct_customer_rfm", "customer_id", "Customer")
_TOTAL_CLV = measure("Total CLV 12m", "Predicted value, 12 months")

VALUE = Page("value", "Value", (
    _header("value", "Value: predicted customer lifetime value (BG/NBD and Gamma-Gamma)"),
    *_slicers("value"),
    _card("value_correlation", _LEFT, 308, 200, "Frequency-spend correlation", measure("Frequency Spend Correlation")),
    _card("value_total_clv", _MAIN, 72, _CARD_WIDTH, "Predicted value, 12 months", measure("Total CLV 12m")),
    _card("value_average_clv", _MAIN + (_CARD_WIDTH + _GAP), 72, _CARD_WIDTH, "Per customer",
          measure("Average CLV 12m")),
    _card("value_average_p_alive", _MAIN + 2 * (_CARD_WIDTH + _GAP), 72, _CARD_WIDTH, "Average P(alive)",
          measure("Average P(alive)")),
    _card("value_expected_purchases", _MAIN + 3 * (_CARD_WIDTH + _GAP), 72, _CARD_WIDTH,
          "Expected purchases, 365 days", measure("Expected Purchases 365d")),
    Visual("value_clv_by_segment", "clusteredBarChart", _MAIN, 188, _THIRD, 250,
           title="Predicted 12-month value by segment",
           roles=(("Category", (_SEGMENT,)), ("Y", (_TOTAL_CLV,))),
           sort=((_SEGMENT, False),), colour_by=measure("Segment Colour")),
    Visual("value_shares", "clusteredBarChart", _MAIN + _THIRD + _GAP, 188, _THIRD, 250,
           title="Share of customers and of predicted value by segment",
           roles=(("Category", (_SEGMENT,)),
                  ("Y", (measure("Customer Share %", "Customers"), measure("CLV Share %", "Predicted value")))),
           sort=((_SEGMENT, False),)),
    Visual("value_p_alive", "columnChart", _MAIN + 2 * (_THIRD + _GAP), 188, _THIRD, 250,
           title="Customers by P(alive), in tenths (from)",
           roles=(("Category", (column("fct_customer_clv", "p_alive_band", "P(alive) from"),)),
                  ("Y", (measure("Valued Customers", "Customers"),)), ("Series", (_SEGMENT,))),
           sort=((column("fct_customer_clv", "p_alive_band"), False),), colour_by="segment_series"),
    # ranked by predicted value: p_alive alone would put one-time buyers first (their p_alive is 1)
    Visual("value_top_customers", "tableEx", _MAIN, 454, 640, 250,
           title=f"Top {TOP_CUSTOMERS} customers by predicted 12-month value",
           # customer_key keeps apart ids Power BI would merge ('C001' and 'c001': it ignores case)
           roles=(("Values", (column("fct_customer_rfm", "customer_key", "Key"), _CUSTOMER, _SEGMENT,
                              column("fct_customer_clv", "p_alive", "P(alive)"),
                              column("fct_customer_clv", "expected_purchases_365d", "Purchases, 365 days"),
                              column("fct_customer_clv", "expected_average_spend", "Spend per purchase"),
                              _TOTAL_CLV)),),
           sort=((measure("Total CLV 12m"), True),),
           # ranked by customer_key: Power BI would merge ids that differ only in case
           filters=(Filter(column("fct_customer_rfm", "customer_key"), top_n=TOP_CUSTOMERS,
                           order_by=measure("Total CLV 12m")),)),
    Visual("value_model_fit", "tableEx", _MAIN + 640 + _GAP, 454, _MAIN_WIDTH - 640 - _GAP, 250,
           title="Model fit (rpt_clv_model)",
           roles=(("Values", (column("rpt_clv_model", "time_unit", "Unit"),
                              column("rpt_clv_model", "bgnbd_r", "r"), column("rpt_clv_model", "bgnbd_alpha", "alpha"),
                              column("rpt_clv_model", "bgnbd_a", "a"), column("rpt_clv_model", "bgnbd_b", "b"),
                              column("rpt_clv_model", "bgnbd_converged", "BG/NBD converged"),
                              column("rpt_clv_model", "gamma_gamma_p", "p"),
                              column("rpt_clv_model", "gamma_gamma_q", "q"),
                              column("rpt_clv_model", "gamma_gamma_v", "v"),
                              column("rpt_clv_model", "gamma_gamma_converged", "Gamma-Gamma converged"),
                              column("rpt_clv_model", "gamma_gamma_customers_fitted", "Repeat buyers fitted"))),)),
))

_PAIR_TYPE = column("rpt_segment_transitions", "pair_type", "Comparison")
_FROM_PERIOD = column("rpt_segment_transitions", "from_period_end_date", "From period end")
_HISTORY_PERIOD = column("rpt_segment_history", "period_end_date", "Period end")
_FROM_SEGMENT = column("rpt_segment_transitions", "from_segment", "From")
_TO_SEGMENT = column("rpt_segment_transitions", "to_segment", "To")


def _transition_matrix(name: str, x: int, title: str, value: Field) -> Visual:
    return Visual(name, "pivotTable", x, 72, _HALF, 300, title=title,
                  roles=(("Rows", (_FROM_SEGMENT,)), ("Columns", (_TO_SEGMENT,)), ("Values", (value,))),
                  shade_by=value)


MOVEMENT = Page("movement", "Movement", (
    _header("movement", "Movement: how customers move between segments"),
    # first_to_last (oldest to latest period end) unless 'consecutive' and a period end are picked
    Visual("movement_slicer_pair_type", "slicer", _LEFT, 72, 200, 64, title="Comparison",
           roles=(("Values", (_PAIR_TYPE,)),), sort=((_PAIR_TYPE, False),),
           objects=(("data", (("mode", "Dropdown"),)), ("selection", (("singleSelect", True),)))),
    Visual("movement_slicer_from_period", "slicer", _LEFT, 148, 200, 64, title="From period end",
           roles=(("Values", (_FROM_PERIOD,)),), sort=((_FROM_PERIOD, True),),
           objects=(("data", (("mode", "Dropdown"),)),)),
    Visual("movement_slicer_history_periods", "slicer", _LEFT, 224, 200, 120, title="Period ends (share over time)",
           roles=(("Values", (_HISTORY_PERIOD,)),), objects=(("data", (("mode", "Between"),)),)),
    _transition_matrix("movement_customers", _MAIN, "Customers from (rows) to (columns)",
                       measure("Moved Customers", "Customers")),
    _transition_matrix("movement_revenue", _MAIN + _HALF + _GAP, "Their revenue, from (rows) to (columns)",
                       measure("Moved Revenue", "Revenue")),
    Visual("movement_flows", "clusteredBarChart", _MAIN, 388, _HALF, 316,
           title="Customers arriving in and leaving each segment",
           roles=(("Category", (_SEGMENT,)), ("Y", (measure("Inflow Customers", "Arriving"),
                                                    measure("Outflow Customers", "Leaving")))),
           sort=((_SEGMENT, False),)),
    Visual("movement_share_over_time", "hundredPercentStackedColumnChart", _MAIN + _HALF + _GAP, 388, _HALF, 316,
           title="Segment share of customers at each period end",
           roles=(("Category", (_HISTORY_PERIOD,)), ("Y", (measure("History Customers", "Customers"),)),
                  ("Series", (_SEGMENT,))),
           sort=((_HISTORY_PERIOD, False),), colour_by="segment_series"),
))

_GRID_R = column("dim_rfm_grid_cells", "recency_grid_score", "R")
_GRID_FM = column("dim_rfm_grid_cells", "fm_grid_score", "FM")
_GRID_SEGMENT = measure("Grid Segment", "Segment")


def _grid_matrix(name: str, x: int, title: str, value: Field) -> Visual:
    # R from 5 (most recent) at the top, FM from 1 to 5 across: the usual RFM grid
    return Visual(name, "pivotTable", x, 72, _HALF, 632, title=title,
                  roles=(("Rows", (_GRID_R,)), ("Columns", (_GRID_FM,)), ("Values", (_GRID_SEGMENT, value))),
                  sort=((_GRID_R, True), (_GRID_FM, False)), shade_by=value)


GRID = Page("grid", "Grid", (
    _header("grid", "Grid: scored customers by R and FM, and the segment of each cell"),
    Visual("grid_slicer_segment", "slicer", _LEFT, 72, 200, 64, title="Segment",
           roles=(("Values", (_SEGMENT,)),), sort=((_SEGMENT, False),), sync_group="segment",
           objects=(("data", (("mode", "Dropdown"),)),)),
    _grid_matrix("grid_customers", _MAIN, "Customers per cell (R rows, FM columns)", measure("Grid Customers",
                                                                                            "Customers")),
    _grid_matrix("grid_revenue", _MAIN + _HALF + _GAP, "Revenue per cell (R rows, FM columns)",
                 measure("Grid Revenue", "Revenue")),
))

PAGES: tuple[Page, ...] = (OVERVIEW, SEGMENTS, RFM_VALUES, DISTRIBUTIONS, DEMOGRAPHICS, TRENDS, VALUE, MOVEMENT,
                          GRID)
