"""The report specification: the one place the Power BI report is declared.

Tables and columns are not listed here: they come from the dbt contract of
the exported marts (contract.py), so a mart column is never typed twice. This
module says which marts the report uses, how they relate, the measures, the
security roles and the pages. Everything refers to columns by name; the
builder checks each reference against the contract.
"""

from __future__ import annotations

from rfm_segmentation.powerbi.elements import (
    Field,
    Filter,
    MeasureSpec,
    Page,
    ParameterSpec,
    RelationshipSpec,
    RoleSpec,
    TableSpec,
    Visual,
    column,
)

REPORT_NAME = "RFM Segmentation"
CHAMPIONS = "Champions"  # highlighted on the Segments page; must be a catalogue segment
TOP_CUSTOMERS = 20

# --- tables ----------------------------------------------------------------

TABLES: tuple[TableSpec, ...] = (
    TableSpec("fct_customer_rfm", hidden=("segment",)),
    # dim_customers arrives with the demographics issue: until its contract
    # exists the report is built without it (and without what uses it).
    TableSpec("dim_customers", optional=True, hidden=("customer_id", "age_band_sort_order"),
              sort_by=(("age_band", "age_band_sort_order"),)),
    TableSpec("fct_purchases", hidden=("purchase_key", "customer_id", "purchase_date")),
    TableSpec("dim_segments", hidden=("sort_order", "color_hex"), sort_by=(("segment", "sort_order"),)),
    TableSpec("dim_dates", hidden=("date_key",), date_key="date_day",
              sort_by=(("month_name", "month_number"), ("day_name", "day_of_week_number")),
              formats=(("month_start_date", "mmm yyyy"),)),
    TableSpec("rpt_segment_summary", hidden=("segment", "sort_order"), sort_by=(("segment", "sort_order"),),
              formats=(("customer_share", "0.0%"), ("revenue_share", "0.0%"))),
    TableSpec("rpt_segment_rfm_correlation", hidden=("segment", "measure_x_sort_order", "measure_y_sort_order"),
              sort_by=(("measure_x", "measure_x_sort_order"), ("measure_y", "measure_y_sort_order")),
              formats=(("correlation", "0.00"),)),
)

# Filters flow from the one side to the many side: region and segment reach
# the customers and, through them, their purchases; dates reach purchases.
RELATIONSHIPS: tuple[RelationshipSpec, ...] = (
    RelationshipSpec("fct_customer_rfm", "customer_id", "dim_customers", "customer_id"),
    RelationshipSpec("fct_customer_rfm", "segment", "dim_segments", "segment"),
    RelationshipSpec("fct_purchases", "customer_id", "fct_customer_rfm", "customer_id"),
    RelationshipSpec("fct_purchases", "purchase_date", "dim_dates", "date_day"),
    RelationshipSpec("rpt_segment_summary", "segment", "dim_segments", "segment"),
    RelationshipSpec("rpt_segment_rfm_correlation", "segment", "dim_segments", "segment"),
)

# --- measures --------------------------------------------------------------

_ALL_SEGMENTS = "REMOVEFILTERS(dim_segments)"

MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec("fct_customer_rfm", "Total Customers", "COUNTROWS(fct_customer_rfm)", "#,0",
                "Customers in the current selection.", "Customers"),
    MeasureSpec("fct_customer_rfm", "Average Purchases", "AVERAGE(fct_customer_rfm[order_count])", "#,0.00",
                "Frequency: the average number of orders per customer.", "Customers"),
    MeasureSpec("fct_customer_rfm", "Total Orders", "SUM(fct_customer_rfm[order_count])", "#,0",
                "Orders of the selected customers (returns are not orders).", "Customers"),
    MeasureSpec("fct_customer_rfm", "Average Order Value",
                "DIVIDE(SUM(fct_customer_rfm[monetary_amount]), [Total Orders])", "#,0.00",
                "Net spend per order: monetary value / orders.", "Customers"),
    MeasureSpec("fct_customer_rfm", "Average Recency (days)", "AVERAGE(fct_customer_rfm[recency_days])", "#,0.0",
                "Average days since the last purchase, at the reference date.", "Customers"),
    MeasureSpec("fct_customer_rfm", "Average Monetary", "AVERAGE(fct_customer_rfm[monetary_amount])", "#,0.00",
                "Average net spend per customer.", "Customers"),
    MeasureSpec("fct_customer_rfm", "Average R Score", "AVERAGE(fct_customer_rfm[recency_score])", "0.00",
                "Average recency score (higher is more recent); unscored customers are left out.", "Scores"),
    MeasureSpec("fct_customer_rfm", "Average F Score", "AVERAGE(fct_customer_rfm[frequency_score])", "0.00",
                "Average frequency score (higher buys more often).", "Scores"),
    MeasureSpec("fct_customer_rfm", "Average M Score", "AVERAGE(fct_customer_rfm[monetary_score])", "0.00",
                "Average monetary score (higher spends more).", "Scores"),
    MeasureSpec("fct_customer_rfm", "Customer Share %",
                f"DIVIDE([Total Customers], CALCULATE([Total Customers], {_ALL_SEGMENTS}))", "0.0%",
                "Share of the selected customers in the current segment.", "Shares"),
    MeasureSpec("fct_customer_rfm", "Champions Share %",
                f'DIVIDE(CALCULATE([Total Customers], dim_segments[segment] = "{CHAMPIONS}"), '
                f"CALCULATE([Total Customers], {_ALL_SEGMENTS}))", "0.0%",
                f"Share of the selected customers who are {CHAMPIONS}.", "Shares"),
    MeasureSpec("fct_customer_rfm", "Recency Q1 (days)", "PERCENTILE.INC(fct_customer_rfm[recency_days], 0.25)",
                "#,0", "First quartile of recency_days.", "Distribution"),
    MeasureSpec("fct_customer_rfm", "Recency Median (days)", "MEDIAN(fct_customer_rfm[recency_days])", "#,0",
                "Median of recency_days.", "Distribution"),
    MeasureSpec("fct_customer_rfm", "Recency Q3 (days)", "PERCENTILE.INC(fct_customer_rfm[recency_days], 0.75)",
                "#,0", "Third quartile of recency_days.", "Distribution"),
    MeasureSpec("fct_customer_rfm", "Frequency Q1", "PERCENTILE.INC(fct_customer_rfm[order_count], 0.25)", "#,0.0",
                "First quartile of order_count.", "Distribution"),
    MeasureSpec("fct_customer_rfm", "Frequency Median", "MEDIAN(fct_customer_rfm[order_count])", "#,0.0",
                "Median of order_count.", "Distribution"),
    MeasureSpec("fct_customer_rfm", "Frequency Q3", "PERCENTILE.INC(fct_customer_rfm[order_count], 0.75)", "#,0.0",
                "Third quartile of order_count.", "Distribution"),
    MeasureSpec("fct_customer_rfm", "Monetary Q1", "PERCENTILE.INC(fct_customer_rfm[monetary_amount], 0.25)",
                "#,0.00", "First quartile of monetary_amount.", "Distribution"),
    MeasureSpec("fct_customer_rfm", "Monetary Median", "MEDIAN(fct_customer_rfm[monetary_amount])", "#,0.00",
                "Median of monetary_amount.", "Distribution"),
    MeasureSpec("fct_customer_rfm", "Monetary Q3", "PERCENTILE.INC(fct_customer_rfm[monetary_amount], 0.75)",
                "#,0.00", "Third quartile of monetary_amount.", "Distribution"),
    MeasureSpec("fct_purchases", "Total Revenue", "SUM(fct_purchases[amount])", "#,0.00",
                "Net revenue of the selected purchase lines (returns subtract).", "Revenue"),
    MeasureSpec("fct_purchases", "Revenue Share %",
                f"DIVIDE([Total Revenue], CALCULATE([Total Revenue], {_ALL_SEGMENTS}))", "0.0%",
                "Share of the selected revenue made by the current segment.", "Shares"),
    MeasureSpec("fct_purchases", "Active Customers",
                "CALCULATE(DISTINCTCOUNT(fct_purchases[customer_id]), fct_purchases[is_return] = FALSE())", "#,0",
                "Customers with at least one purchase (not a return) in the period.", "Revenue"),
    MeasureSpec("fct_purchases", "Revenue Previous Month",
                "CALCULATE([Total Revenue], DATEADD(dim_dates[date_day], -1, MONTH))", "#,0.00",
                "Total Revenue of the month before.", "Revenue"),
    MeasureSpec("fct_purchases", "Revenue MoM %",
                "VAR current_revenue = [Total Revenue]\n"
                "VAR previous_revenue = [Revenue Previous Month]\n"
                "RETURN\n"
                "    IF(\n"
                "        NOT(ISBLANK(current_revenue)) && NOT(ISBLANK(previous_revenue)),\n"
                "        DIVIDE(current_revenue - previous_revenue, ABS(previous_revenue))\n"
                "    )",
                "+0.0%;-0.0%;0.0%", "Month-over-month change of Total Revenue.", "Revenue"),
    MeasureSpec("dim_segments", "Segment Colour", 'SELECTEDVALUE(dim_segments[color_hex], "#9E9E9E")', "",
                "The segment's colour from the catalogue, for colouring visuals by field value.", "Formatting"),
    MeasureSpec("dim_segments", "Champions Highlight Colour",
                f'IF(SELECTEDVALUE(dim_segments[segment]) = "{CHAMPIONS}", '
                'SELECTEDVALUE(dim_segments[color_hex]), "#C8C8C8")', "",
                f"{CHAMPIONS} in their catalogue colour, every other segment grey.", "Formatting"),
    MeasureSpec("rpt_segment_summary", "Reference Date", "MAX(rpt_segment_summary[reference_date])", "yyyy-mm-dd",
                "The date recency is measured from (the build's reference date).", "Build"),
    MeasureSpec("rpt_segment_rfm_correlation", "Average Correlation",
                "AVERAGE(rpt_segment_rfm_correlation[correlation])", "0.00",
                "Correlation of the pair of RFM values (-1 to 1), within the selected segment.", "RFM values"),
)


def measure(name: str, label: str | None = None) -> Field:
    """A measure of MEASURES, as a visual field."""
    home = next((spec.table for spec in MEASURES if spec.name == name), None)
    if home is None:
        raise KeyError(f"no measure named {name!r} in MEASURES")
    return Field(home, name, True, label)


# --- parameters and security -----------------------------------------------

PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec("DataFolder", "C:\\rfm_segmentation\\exports\\",
                  "The folder `dbt build` published the files to (export_path; exports/ in the project)."),
    ParameterSpec("FileFormat", "parquet", "parquet (always published) or csv (with the var export_csv: true).",
                  ("parquet", "csv")),
)

# Static roles: edit these lists to your regions and stores, then `rfm powerbi`.
# A test checks every value occurs in the exported data.
RLS_REGIONS: tuple[str, ...] = ("Auvergne-Rhone-Alpes", "Hauts-de-France", "Ile-de-France", "Nouvelle-Aquitaine",
                                "Pays de la Loire", "Provence-Alpes-Cote d'Azur")
RLS_STORES: tuple[str, ...] = ("S01", "S02", "S03", "S04", "S05", "S06")


def _dax_text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


ROLES: tuple[RoleSpec, ...] = (
    *(RoleSpec(f"Region {region}", f"Customers living in {region}, and their purchases.",
               (("dim_customers", f"dim_customers[region] = {_dax_text(region)}"),))
      for region in RLS_REGIONS),
    *(RoleSpec(f"Store {store}",
               f"Customers whose home store is {store}, and of their purchases only the lines sold at {store}.",
               (("dim_customers", f"dim_customers[home_store_id] = {_dax_text(store)}"),
                ("fct_purchases", f"fct_purchases[store_id] = {_dax_text(store)}")))
      for store in RLS_STORES),
)

# --- pages -----------------------------------------------------------------

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
           roles=(("Values", (column("fct_customer_rfm", "customer_id", "Customer"), _SEGMENT,
                              column("fct_customer_rfm", "rfm_score", "RFM score"),
                              column("fct_customer_rfm", "rfm_cell", "R F M"),
                              column("fct_customer_rfm", "order_count", "Orders"),
                              column("fct_customer_rfm", "recency_days", "Recency (days)"),
                              measure("Total Revenue", "Spending"))),),
           sort=((measure("Total Revenue"), True),),
           filters=(Filter(column("fct_customer_rfm", "customer_id"), top_n=TOP_CUSTOMERS,
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
           title="Segment catalogue and recommended actions (whole customer base)",
           roles=(("Values", (_SEGMENT, column("dim_segments", "description", "Who they are"),
                              column("dim_segments", "recommended_action", "Recommended action"),
                              column("rpt_segment_summary", "customer_count", "Customers"),
                              column("rpt_segment_summary", "customer_share", "Customer share"),
                              column("rpt_segment_summary", "revenue_share", "Revenue share"))),),
           sort=((_SEGMENT, False),)),
))

_CORRELATION = measure("Average Correlation", "Correlation")

RFM_VALUES = Page("rfm_values", "RFM values", (
    _header("rfm_values", "RFM values: distributions and correlations"),
    *_slicers("rfm_values"),
    Visual("rfm_values_scatter", "scatterChart", _MAIN, 72, _HALF, 300,
           title="Recency and spending per customer, by segment",
           roles=(("Category", (column("fct_customer_rfm", "customer_id", "Customer"),)), ("Series", (_SEGMENT,)),
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
           title=f"Correlation of R, F and M values within {CHAMPIONS}",
           roles=(("Rows", (column("rpt_segment_rfm_correlation", "measure_x", "Value"),)),
                  ("Columns", (column("rpt_segment_rfm_correlation", "measure_y", "Compared with"),)),
                  ("Values", (_CORRELATION,))),
           filters=(Filter(_SEGMENT, values=(CHAMPIONS,)),), heat_map=_CORRELATION),
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
