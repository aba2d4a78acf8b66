"""The semantic model of the report: tables used, relationships, measures, parameters and roles.

Tables and columns are not listed here: they come from the dbt contract of
the exported marts (contract.py), so a mart column is never typed twice. This
module says which exported marts the report loads and how they are shown,
how they relate, the measures and the security roles. Everything refers to
columns by name; the builder checks each reference against the contract.
"""

from __future__ import annotations

from rfm_segmentation.powerbi.elements import (
    Field,
    MeasureSpec,
    ParameterSpec,
    RelationshipSpec,
    RoleSpec,
    TableSpec,
)

REPORT_NAME = "RFM Segmentation"
CHAMPIONS = "Champions"  # highlighted on the Segments page; must be a catalogue segment

# --- tables ----------------------------------------------------------------

TABLES: tuple[TableSpec, ...] = (
    TableSpec("fct_customer_rfm", hidden=("segment",)),
    # Optional (`built_when` in its contract's powerbi_export): built only with demographics; the report
    # reads it when its file exists, and leaves it out with what uses it while its contract is absent.
    TableSpec("dim_customers", hidden=("customer_id", "age_band_sort_order"),
              sort_by=(("age_band", "age_band_sort_order"),), optional=True),
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

# Exported marts the report does not load, and why: every exported mart is either
# in TABLES or here (a unit test checks it against the contracts' meta.powerbi_export).
NOT_IN_REPORT: dict[str, str] = {
    "fct_purchases_rejected": "the quarantine of rejected input rows, for whoever fixes the input",
    "rpt_purchases_reconciliation": "row counts per outcome, checked by dbt tests and rfm check",
}

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


# === Value, distribution, store and year-over-year additions (issues 12 item 7, 16, 14) =====
# Appended as one block so the semantic-model work of other branches merges cleanly.

# Optional like dim_customers (`built_when` in their contracts): built only with clv_enabled on
# an adapter that runs dbt Python models; without them the tables load empty.
TABLES += (
    TableSpec("fct_customer_clv", hidden=("customer_id",),
              formats=(("p_alive", "0.0%"), ("p_alive_band", "0%"), ("clv_12m", "#,0.00"),
                       ("clv_over_horizon", "#,0.00"), ("expected_average_spend", "#,0.00"),
                       ("mean_repeat_spend", "#,0.00"), ("expected_purchases_90d", "#,0.00"),
                       ("expected_purchases_365d", "#,0.00")), optional=True),
    TableSpec("rpt_clv_model", formats=(("frequency_spend_correlation", "0.00"),
                                        ("annual_discount_rate", "0.0%")), optional=True),
)

# One row per customer of fct_customer_rfm: segment, region and RLS reach the predicted values.
RELATIONSHIPS += (
    RelationshipSpec("fct_customer_clv", "customer_id", "fct_customer_rfm", "customer_id"),
)


def _box_plot_measures(short: str, column_ref: str, number_format: str) -> tuple[MeasureSpec, ...]:
    """A box plot drawn as a stacked bar: an invisible base up to the lower whisker, then the
    lower whisker, the two halves of the box (Q1-median, median-Q3) and the upper whisker, each the
    difference to the previous mark. Whiskers follow Tukey: the most extreme values within 1.5
    interquartile ranges of the box. Bars stack from 0, so a negative lower whisker (a monetary
    value netted by returns) is drawn from 0; the quartile table gives the exact values."""
    table = column_ref.split("[")[0]
    quartiles = (f"VAR q1 = PERCENTILE.INC({column_ref}, 0.25)\n"
                 f"VAR q3 = PERCENTILE.INC({column_ref}, 0.75)\n")
    low = (f"{quartiles}VAR fence = q1 - 1.5 * (q3 - q1)\n"
           f"RETURN MINX(FILTER({table}, {column_ref} >= fence), {column_ref})")
    high = (f"{quartiles}VAR fence = q3 + 1.5 * (q3 - q1)\n"
            f"RETURN MAXX(FILTER({table}, {column_ref} <= fence), {column_ref})")
    folder = "Box plots"
    return (
        MeasureSpec(table, f"{short} Lower Whisker", low, number_format,
                    f"Smallest {column_ref} within 1.5 interquartile ranges below Q1 (Tukey).", folder),
        MeasureSpec(table, f"{short} Upper Whisker", high, number_format,
                    f"Largest {column_ref} within 1.5 interquartile ranges above Q3 (Tukey).", folder),
        MeasureSpec(table, f"{short} Box Base", f"MAX([{short} Lower Whisker], 0)", number_format,
                    "Box plot bar: the invisible part from 0 to the lower whisker.", folder),
        MeasureSpec(table, f"{short} Box Whisker Below", f"[{short} Q1{_unit(short)}] - [{short} Box Base]",
                    number_format, "Box plot bar: lower whisker to Q1.", folder),
        MeasureSpec(table, f"{short} Box Lower Half",
                    f"[{short} Median{_unit(short)}] - [{short} Q1{_unit(short)}]", number_format,
                    "Box plot bar: Q1 to the median.", folder),
        MeasureSpec(table, f"{short} Box Upper Half",
                    f"[{short} Q3{_unit(short)}] - [{short} Median{_unit(short)}]", number_format,
                    "Box plot bar: the median to Q3.", folder),
        MeasureSpec(table, f"{short} Box Whisker Above", f"[{short} Upper Whisker] - [{short} Q3{_unit(short)}]",
                    number_format, "Box plot bar: Q3 to the upper whisker.", folder),
    )


def _unit(short: str) -> str:
    """The existing quartile measures name recency's unit."""
    return " (days)" if short == "Recency" else ""


BOX_PLOT_PARTS: tuple[str, ...] = ("Box Base", "Box Whisker Below", "Box Lower Half", "Box Upper Half",
                                   "Box Whisker Above")

MEASURES += (
    *_box_plot_measures("Recency", "fct_customer_rfm[recency_days]", "#,0"),
    *_box_plot_measures("Frequency", "fct_customer_rfm[order_count]", "#,0.0"),
    *_box_plot_measures("Monetary", "fct_customer_rfm[monetary_amount]", "#,0.00"),
    MeasureSpec("fct_purchases", "Revenue Same Month Last Year",
                "CALCULATE([Total Revenue], SAMEPERIODLASTYEAR(dim_dates[date_day]))", "#,0.00",
                "Total Revenue of the same period one year before.", "Revenue"),
    MeasureSpec("fct_purchases", "Revenue YoY %",
                "VAR current_revenue = [Total Revenue]\n"
                "VAR last_year_revenue = [Revenue Same Month Last Year]\n"
                "RETURN\n"
                "    IF(\n"
                "        NOT(ISBLANK(current_revenue)) && NOT(ISBLANK(last_year_revenue)),\n"
                "        DIVIDE(current_revenue - last_year_revenue, ABS(last_year_revenue))\n"
                "    )",
                "+0.0%;-0.0%;0.0%", "Year-over-year change of Total Revenue.", "Revenue"),
    MeasureSpec("fct_customer_clv", "Total CLV 12m", "SUM(fct_customer_clv[clv_12m])", "#,0.00",
                "Predicted value of the next 12 months of the selected customers (discounted).", "Value"),
    MeasureSpec("fct_customer_clv", "Average CLV 12m", "AVERAGE(fct_customer_clv[clv_12m])", "#,0.00",
                "Predicted 12-month value per customer.", "Value"),
    MeasureSpec("fct_customer_clv", "CLV Share %",
                f"DIVIDE([Total CLV 12m], CALCULATE([Total CLV 12m], {_ALL_SEGMENTS}))", "0.0%",
                "Share of the predicted 12-month value held by the current segment.", "Value"),
    MeasureSpec("fct_customer_clv", "Average P(alive)", "AVERAGE(fct_customer_clv[p_alive])", "0.0%",
                "Average probability that the selected customers are still active (BG/NBD).", "Value"),
    MeasureSpec("fct_customer_clv", "Expected Purchases 365d", "SUM(fct_customer_clv[expected_purchases_365d])",
                "#,0", "Purchase days expected of the selected customers over the next 365 days.", "Value"),
    MeasureSpec("fct_customer_clv", "Valued Customers", "COUNTROWS(fct_customer_clv)", "#,0",
                "Customers with a predicted value (all customers when CLV is built, none otherwise).", "Value"),
    MeasureSpec("rpt_clv_model", "Frequency Spend Correlation", "MAX(rpt_clv_model[frequency_spend_correlation])",
                "0.00", "Correlation of repeat purchase days and mean repeat spend; Gamma-Gamma assumes about 0 "
                "(the build warns above 0.15).", "Value"),
)


# === Movement and Grid additions (issue 14: rpt_segment_history, rpt_segment_transitions, rpt_rfm_grid) ===
# Appended as one block, like the one above. The history marts are optional (built_when in their
# contracts: rfm_history_periods above 0); without them they load empty.

TABLES += (
    TableSpec("rpt_segment_history", hidden=("segment", "sort_order", "tier", "period_number"),
              sort_by=(("segment", "sort_order"),),
              formats=(("customer_share", "0.0%"), ("revenue_share", "0.0%")), optional=True),
    # Not related to dim_segments: both ends include 'Not yet a customer' (and 'Outside lookback window').
    TableSpec("rpt_segment_transitions", hidden=("from_sort_order", "to_sort_order", "from_tier", "to_tier"),
              sort_by=(("from_segment", "from_sort_order"), ("to_segment", "to_sort_order")), optional=True),
    TableSpec("rpt_rfm_grid", hidden=("segment",),
              formats=(("customer_share", "0.0%"), ("revenue_share", "0.0%"))),
)

RELATIONSHIPS += (
    RelationshipSpec("rpt_segment_history", "segment", "dim_segments", "segment"),
    RelationshipSpec("rpt_rfm_grid", "segment", "dim_segments", "segment"),
)

# With no comparison picked, the transitions count first-to-last only: summing both pair types
# would count every customer twice.
_PICKED_PAIRS = "HASONEVALUE(rpt_segment_transitions[pair_type])"


def _moved(column_name: str) -> str:
    total = f"SUM(rpt_segment_transitions[{column_name}])"
    return (f"IF({_PICKED_PAIRS}, {total}, "
            f'CALCULATE({total}, rpt_segment_transitions[pair_type] = "first_to_last"))')


def _flow(measure_name: str, into: bool) -> str:
    """Customers moving into (or out of) the segment on the axis, from (to) any other state."""
    arriving, leaving = ("to_segment", "from_segment") if into else ("from_segment", "to_segment")
    return ("VAR axis_segment = SELECTEDVALUE(dim_segments[segment])\n"
            "RETURN\n"
            f"    CALCULATE(\n"
            f"        [{measure_name}],\n"
            f"        rpt_segment_transitions[{arriving}] = axis_segment,\n"
            f"        rpt_segment_transitions[{leaving}] <> axis_segment\n"
            f"    )")


MEASURES += (
    MeasureSpec("rpt_segment_transitions", "Moved Customers", _moved("customer_count"), "#,0",
                "Customers going from the row's segment to the column's between the chosen period ends "
                "(first to last when no comparison is picked).", "Movement"),
    MeasureSpec("rpt_segment_transitions", "Moved Revenue", _moved("revenue"), "#,0.00",
                "Revenue of those customers (rpt_segment_transitions.revenue).", "Movement"),
    MeasureSpec("rpt_segment_transitions", "Inflow Customers", _flow("Moved Customers", True), "#,0",
                "Customers arriving in the segment from any other segment or state.", "Movement"),
    MeasureSpec("rpt_segment_transitions", "Outflow Customers", _flow("Moved Customers", False), "#,0",
                "Customers leaving the segment for any other segment or state.", "Movement"),
    MeasureSpec("rpt_segment_history", "History Customers", "SUM(rpt_segment_history[customer_count])", "#,0",
                "Customers in the segment at the period end.", "Movement"),
    MeasureSpec("rpt_rfm_grid", "Grid Customers", "SUM(rpt_rfm_grid[customer_count])", "#,0",
                "Scored customers in the R x FM cell.", "Grid"),
    MeasureSpec("rpt_rfm_grid", "Grid Revenue", "SUM(rpt_rfm_grid[revenue])", "#,0.00",
                "Revenue of the cell's customers.", "Grid"),
    MeasureSpec("rpt_rfm_grid", "Grid Segment", 'SELECTEDVALUE(rpt_rfm_grid[segment], "")', "",
                "The segment the rules give the cell.", "Grid"),
)
