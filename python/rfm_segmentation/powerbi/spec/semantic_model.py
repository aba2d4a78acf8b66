"""The semantic model of the report: tables used, relationships, measures, parameters and roles.

Tables and columns are not listed here: they come from the dbt contract of
the exported marts (contract.py), so a mart column is never typed twice. This
module says which exported marts the report loads and how they are shown,
how they relate, the measures and the security roles. Everything refers to
columns by name; the builder checks each reference against the contract.
"""

from __future__ import annotations

from dataclasses import replace

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
    # Relationships join on whole-number keys (customer_key, segment_key), never on text ids: Power BI
    # compares text without regard to case, so ids 'C001' and 'c001' would collide on a one side.
    TableSpec("fct_customer_rfm", hidden=("customer_key", "segment", "segment_key", "grid_cell_key")),
    # Optional (`built_when` in its contract's powerbi_export): built only with demographics; the report
    # reads it when its file exists, and leaves it out with what uses it while its contract is absent.
    TableSpec("dim_customers", hidden=("customer_key", "customer_id", "age_band_sort_order"),
              sort_by=(("age_band", "age_band_sort_order"),), optional=True),
    TableSpec("fct_purchases", hidden=("purchase_key", "customer_key", "customer_id", "purchase_date")),
    TableSpec("dim_segments", hidden=("segment_key", "sort_order", "color_hex"), sort_by=(("segment", "sort_order"),)),
    TableSpec("dim_dates", hidden=("date_key",), date_key="date_day",
              sort_by=(("month_name", "month_number"), ("day_name", "day_of_week_number")),
              formats=(("month_start_date", "mmm yyyy"),)),
    TableSpec("dim_rfm_value_pairs", hidden=("measure_x_sort_order", "measure_y_sort_order"),
              sort_by=(("measure_x", "measure_x_sort_order"), ("measure_y", "measure_y_sort_order"))),
    TableSpec("dim_rfm_grid_cells", hidden=("grid_cell_key",)),
)

# Tables every role sees whole: reference lists that hold no customer or sales
# data, so no role filter needs to reach them. Any other table a visual reads
# must be reached by every role's filters (model.check walks the relationships).
UNSECURED_DIMENSIONS: dict[str, str] = {
    "dim_segments": "the segment catalogue: names, descriptions, actions, colours",
    "dim_dates": "the calendar",
    "dim_rfm_value_pairs": "the names of the recency, frequency and monetary values (heat map axes)",
    "dim_rfm_grid_cells": "the 25 cells of the R x FM grid and the segment the rules give each (Grid axes)",
}

# Tables of figures over the whole customer base that no relationship can tie to a
# role's customers: every role gets the table permission FALSE() on them, so a role
# sees them empty rather than company-wide. (A table each customer row of which a
# role could reach is instead related to fct_customer_rfm.)
HIDDEN_FROM_ROLES: dict[str, str] = {
    "rpt_segment_history": "segment sizes per period end, counted over every customer (Movement page)",
    "rpt_segment_transitions": "segment moves between period ends, counted over every customer (Movement page)",
    "rpt_clv_model": "the BG/NBD and Gamma-Gamma fit over every customer (Value page: model fit, "
                     "frequency-spend correlation)",
}

# Exported marts the report does not load, and why: every exported mart is either
# in TABLES or here (a unit test checks it against the contracts' meta.powerbi_export).
NOT_IN_REPORT: dict[str, str] = {
    "fct_purchases_rejected": "the quarantine of rejected input rows, for whoever fixes the input",
    "rpt_purchases_reconciliation": "row counts per outcome, checked by dbt tests and rfm check",
    "rpt_segment_summary": "figures over the whole customer base, which no role filter could reach: the report "
                           "computes them as measures over fct_customer_rfm and fct_purchases",
    "rpt_segment_rfm_correlation": "correlations over the whole customer base, which no role filter could "
                                   "reach: the report computes them with the measure RFM Correlation",
    "rpt_rfm_grid": "cell figures over the whole customer base, which no role filter could reach (rfm preview "
                    "reads it): the Grid page counts fct_customer_rfm per dim_rfm_grid_cells cell",
}

# Filters flow from the one side to the many side: region and segment reach
# the customers and, through them, their purchases; dates reach purchases.
RELATIONSHIPS: tuple[RelationshipSpec, ...] = (
    RelationshipSpec("fct_customer_rfm", "customer_key", "dim_customers", "customer_key"),
    RelationshipSpec("fct_customer_rfm", "segment_key", "dim_segments", "segment_key"),
    RelationshipSpec("fct_purchases", "customer_key", "fct_customer_rfm", "customer_key"),
    RelationshipSpec("fct_purchases", "purchase_date", "dim_dates", "date_day"),
    # unscored customers have no cell (a blank key): the grid measures count scored customers only
    RelationshipSpec("fct_customer_rfm", "grid_cell_key", "dim_rfm_grid_cells", "grid_cell_key"),
)

# --- measures --------------------------------------------------------------

_ALL_SEGMENTS = "REMOVEFILTERS(dim_segments)"
# The values a correlation pairs (dim_rfm_value_pairs names them), as fct_customer_rfm columns.
RFM_VALUES = ("recency_days", "order_count", "monetary_amount")


def _rfm_value(name_variable: str) -> str:
    """The fct_customer_rfm column a pair's value name (a DAX variable) stands for, in the current row."""
    cases = ", ".join(f'"{value}", fct_customer_rfm[{value}]' for value in RFM_VALUES)
    return f"SWITCH({name_variable}, {cases})"


def _pearson_correlation() -> str:
    """Pearson's r of the selected pair over the customers in the filter context, centred for precision.

    The same definition as rpt_segment_rfm_correlation (which a test compares
    with a direct computation): blank for fewer than two customers or a value
    that does not vary. Computed here rather than read from that mart so that
    slicers and row-level security apply.
    """
    x, y = _rfm_value("x_name"), _rfm_value("y_name")
    return "\n".join([
        "VAR x_name = SELECTEDVALUE(dim_rfm_value_pairs[measure_x])",
        "VAR y_name = SELECTEDVALUE(dim_rfm_value_pairs[measure_y])",
        "VAR customers = COUNTROWS(fct_customer_rfm)",
        f"VAR mean_x = AVERAGEX(fct_customer_rfm, {x})",
        f"VAR mean_y = AVERAGEX(fct_customer_rfm, {y})",
        f"VAR co_spread = SUMX(fct_customer_rfm, ({x} - mean_x) * ({y} - mean_y))",
        f"VAR x_spread = SUMX(fct_customer_rfm, ({x} - mean_x) * ({x} - mean_x))",
        f"VAR y_spread = SUMX(fct_customer_rfm, ({y} - mean_y) * ({y} - mean_y))",
        "RETURN",
        "    IF(",
        "        NOT(ISBLANK(x_name)) && NOT(ISBLANK(y_name)) && customers >= 2 && x_spread > 0 && y_spread > 0,",
        "        DIVIDE(co_spread, SQRT(x_spread * y_spread))",
        "    )",
    ])


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
                "CALCULATE(DISTINCTCOUNT(fct_purchases[customer_key]), fct_purchases[is_return] = FALSE())", "#,0",
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
    MeasureSpec("fct_customer_rfm", "Reference Date", "MAX(fct_customer_rfm[reference_date])", "yyyy-mm-dd",
                "The date recency is measured from (the build's reference date).", "Build"),
    MeasureSpec("fct_customer_rfm", "Correlation in Selection", _pearson_correlation(), "0.00",
                "Pearson correlation of the pair of RFM values (dim_rfm_value_pairs) over the customers in the "
                "current selection (-1 to 1); blank when either value does not vary.", "RFM values"),
    MeasureSpec("fct_customer_rfm", "RFM Correlation",
                "IF(\n"
                "    ISFILTERED(dim_segments[segment]),\n"
                "    [Correlation in Selection],\n"
                f'    CALCULATE([Correlation in Selection], dim_segments[segment] = "{CHAMPIONS}")\n'
                ")", "0.00",
                f"Correlation in Selection within the selected segments; within {CHAMPIONS} while no segment "
                "is selected.", "RFM values"),
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


def _store_customers(store: str) -> str:
    """The customers with at least one purchase line (a return included) at the store."""
    return (f"CALCULATETABLE(VALUES(fct_purchases[customer_key]), fct_purchases[store_id] = {_dax_text(store)})")


# What a role sees: every table a visual reads is filtered by it (model.check proves the filters reach them).
# Region: the customers living in the region (dim_customers), their RFM values and all their purchases.
# Store: the customers who bought at the store (whatever their home store), with their RFM values, scores and
# segments as computed over all stores (the segment is the customer's, not the store's), and of their purchases
# only the lines sold at the store: revenue, active customers and trends are the store's own.
ROLES: tuple[RoleSpec, ...] = (
    *(RoleSpec(f"Region {region}", f"Customers living in {region}, and their purchases.",
               (("dim_customers", f"dim_customers[region] = {_dax_text(region)}"),))
      for region in RLS_REGIONS),
    *(RoleSpec(f"Store {store}",
               f"Customers who bought at {store}, with their RFM values over all stores, and of their purchases "
               f"only the lines sold at {store}.",
               (("fct_customer_rfm", f"fct_customer_rfm[customer_key] IN {_store_customers(store)}"),
                ("dim_customers", f"dim_customers[customer_key] IN {_store_customers(store)}"),
                ("fct_purchases", f"fct_purchases[store_id] = {_dax_text(store)}")))
      for store in RLS_STORES),
)
ROLES = tuple(replace(role, description=role.description + " Company-wide tables are empty: "
                      + ", ".join(HIDDEN_FROM_ROLES) + ".",
                      filters=(*role.filters, *((table, "FALSE()") for table in HIDDEN_FROM_ROLES)))
              for role in ROLES)


# === Value, distribution, store and year-over-year additions (issues 12 item 7, 16, 14) =====
# Appended as one block so the semantic-model work of other branches merges cleanly.

# Optional like dim_customers (`built_when` in their contracts): built only with clv_enabled on
# an adapter that runs dbt Python models; without them the tables load empty.
TABLES += (
    TableSpec("fct_customer_clv", hidden=("customer_key", "customer_id"),
              formats=(("p_alive", "0.0%"), ("p_alive_band", "0%"), ("clv_12m", "#,0.00"),
                       ("clv_over_horizon", "#,0.00"), ("expected_average_spend", "#,0.00"),
                       ("mean_repeat_spend", "#,0.00"), ("expected_purchases_90d", "#,0.00"),
                       ("expected_purchases_365d", "#,0.00")), optional=True),
    TableSpec("rpt_clv_model", formats=(("frequency_spend_correlation", "0.00"),
                                        ("annual_discount_rate", "0.0%")), optional=True),
)

# One row per customer of fct_customer_rfm: segment, region and RLS reach the predicted values.
RELATIONSHIPS += (
    RelationshipSpec("fct_customer_clv", "customer_key", "fct_customer_rfm", "customer_key"),
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
    TableSpec("rpt_segment_history", hidden=("segment_key", "segment", "sort_order", "tier", "period_number"),
              sort_by=(("segment", "sort_order"),),
              formats=(("customer_share", "0.0%"), ("revenue_share", "0.0%")), optional=True),
    # Not related to dim_segments: both ends include 'Not yet a customer' (and 'Outside lookback window').
    TableSpec("rpt_segment_transitions", hidden=("from_sort_order", "to_sort_order", "from_tier", "to_tier"),
              sort_by=(("from_segment", "from_sort_order"), ("to_segment", "to_sort_order")), optional=True),
)

RELATIONSHIPS += (
    RelationshipSpec("rpt_segment_history", "segment_key", "dim_segments", "segment_key"),
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
    # over the customers (not rpt_rfm_grid), so that slicers and row-level security apply
    MeasureSpec("fct_customer_rfm", "Grid Customers",
                "CALCULATE(COUNTROWS(fct_customer_rfm), fct_customer_rfm[is_scored] = TRUE())", "#,0",
                "Scored customers in the R x FM cell.", "Grid"),
    MeasureSpec("fct_customer_rfm", "Grid Revenue",
                "CALCULATE(SUM(fct_customer_rfm[monetary_amount]), fct_customer_rfm[is_scored] = TRUE())",
                "#,0.00", "Net spend of the cell's scored customers (monetary_amount).", "Grid"),
    MeasureSpec("dim_rfm_grid_cells", "Grid Segment", "SELECTEDVALUE(dim_rfm_grid_cells[segment])", "",
                "The segment the rules give the cell.", "Grid"),
)
