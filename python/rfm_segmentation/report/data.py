"""The report's figures: DuckDB aggregates over the published Parquet files.

Every chart of the report is drawn from what this module returns, and the
same figures are embedded in the HTML as JSON. Nothing here returns a row per
purchase: purchases are reduced to months, customers to segments, score
values or the top N.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from rfm_segmentation.errors import UserError
from rfm_segmentation.exports import MANIFEST_FILE

CHAMPIONS = "Champions"
TOP_CUSTOMERS = 20
# Above this many distinct values (regions, stores), the smallest are grouped
# into one "Other" bar so the chart stays readable and small.
MAX_CATEGORIES = 12
OTHER_CATEGORY = "Other"

# The marts every report needs, and the optional ones with the reason a
# section stays empty without them.
REQUIRED_TABLES = ("fct_customer_rfm", "dim_segments", "rpt_segment_summary", "fct_purchases")
RFM_VALUES = (("recency_days", "Recency (days)"), ("order_count", "Frequency (orders)"),
              ("monetary_amount", "Monetary (net spend)"))

# The movement tables come with the segment history (var rfm_history_periods);
# these are the columns the report reads from them.
HISTORY_TABLE = "rpt_segment_history"
HISTORY_COLUMNS = ("period_end_date", "segment", "sort_order", "customer_count", "customer_share", "revenue")
TRANSITIONS_TABLE = "rpt_segment_transitions"
TRANSITIONS_COLUMNS = ("pair_type", "from_period_end_date", "to_period_end_date", "from_segment", "to_segment",
                       "from_sort_order", "to_sort_order", "customer_count", "revenue")


@dataclass
class ReportData:
    """All figures of the report, as JSON-ready values (numbers, text, ISO dates)."""

    build: dict[str, Any]
    overview: dict[str, Any]
    segments: list[dict[str, Any]]
    rfm_score_histogram: list[dict[str, Any]]
    distributions: list[dict[str, Any]]
    champions_correlation: list[dict[str, Any]] | None
    top_customers: list[dict[str, Any]]
    demographics: dict[str, list[dict[str, Any]]] | None
    monthly_by_segment: list[dict[str, Any]]
    monthly_totals: list[dict[str, Any]]
    segment_history: list[dict[str, Any]] | None
    segment_transitions: list[dict[str, Any]] | None
    # Why an optional section is empty, by section name.
    missing: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True, separators=(",", ":"), default=_json_value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


def _plain(value: Any) -> Any:
    """Decimals to floats and dates to ISO text, so charts and JSON see plain values."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


class _Exports:
    """Views named after the tables over the Parquet files of one export folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.connection = duckdb.connect()
        self.tables: set[str] = set()
        for path in sorted(folder.glob("*.parquet")):
            quoted = str(path).replace("'", "''")
            self.connection.execute(f'create view "{path.stem}" as select * from read_parquet(\'{quoted}\')')
            self.tables.add(path.stem)

    def rows(self, sql: str, parameters: list[Any] | None = None) -> list[dict[str, Any]]:
        relation = self.connection.execute(sql, parameters or [])
        names = [column[0] for column in relation.description]
        return [{name: _plain(value) for name, value in zip(names, row, strict=True)} for row in relation.fetchall()]

    def one(self, sql: str) -> dict[str, Any]:
        return self.rows(sql)[0]

    def columns(self, table: str) -> list[str]:
        return [row[0] for row in self.connection.execute(f'describe "{table}"').fetchall()]

    def close(self) -> None:
        self.connection.close()


def load_report_data(folder: Path) -> ReportData:
    """Read the export folder and compute every figure the report shows."""
    missing_required = [t for t in REQUIRED_TABLES if not (folder / f"{t}.parquet").is_file()]
    if missing_required:
        names = ", ".join(f"{t}.parquet" for t in missing_required)
        raise UserError(f"'{folder}' is not a complete export folder: {names} missing (run dbt build first, "
                        "or give the folder dbt published to with --exports)")
    exports = _Exports(folder)
    try:
        missing: dict[str, str] = {}
        segments = _segments(exports)
        correlation = _champions_correlation(exports, missing)
        demographics = _demographics(exports, missing)
        history, transitions = _movement(exports, missing)
        return ReportData(
            build=_build_info(folder, exports),
            overview=_overview(exports),
            segments=segments,
            rfm_score_histogram=exports.rows(
                "select rfm_score, count(*) as customers from fct_customer_rfm where is_scored "
                "group by rfm_score order by rfm_score"),
            distributions=_distributions(exports),
            champions_correlation=correlation,
            top_customers=exports.rows(
                "select customer_id, segment, rfm_score, rfm_cell, order_count, recency_days, monetary_amount "
                f"from fct_customer_rfm order by monetary_amount desc, customer_id limit {TOP_CUSTOMERS}"),
            demographics=demographics,
            monthly_by_segment=_monthly_by_segment(exports),
            monthly_totals=_monthly_totals(exports),
            segment_history=history,
            segment_transitions=transitions,
            missing=missing,
        )
    except duckdb.Error as error:
        raise UserError(f"cannot read the exports in '{folder}': {error}") from error
    finally:
        exports.close()


def _build_info(folder: Path, exports: _Exports) -> dict[str, Any]:
    info: dict[str, Any] = {}
    manifest_path = folder / MANIFEST_FILE
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise UserError(f"cannot read '{manifest_path}': {error}") from error
        for key in ("built_at", "build_id", "rfm_score_bins", "rfm_scoring_method"):
            if key in manifest:
                info[key] = manifest[key]
    info["reference_date"] = exports.one("select max(reference_date) as d from fct_customer_rfm")["d"]
    return info


def _overview(exports: _Exports) -> dict[str, Any]:
    customers = exports.one(
        "select count(*) as total_customers, count(*) filter (where is_scored) as scored_customers, "
        "sum(order_count) as total_orders, "
        "round(avg(order_count), 2) as average_purchases, "
        "round(sum(monetary_amount) / nullif(sum(order_count), 0), 2) as average_order_value, "
        f"count(*) filter (where segment = '{CHAMPIONS}') as champions_customers, "
        "max(reference_date) as reference_date from fct_customer_rfm")
    purchases = exports.one(
        "select count(*) as purchase_lines, cast(sum(amount) as decimal(18, 2)) as total_revenue, "
        "min(purchase_date) as first_purchase_date, max(purchase_date) as last_purchase_date from fct_purchases")
    total = customers["total_customers"]
    customers["champions_share"] = round(customers["champions_customers"] / total, 6) if total else None
    return {**customers, **purchases}


def _segments(exports: _Exports) -> list[dict[str, Any]]:
    return exports.rows(
        "select s.segment, s.sort_order, s.description, s.recommended_action, s.color_hex, s.is_unscored_segment, "
        "coalesce(r.customer_count, 0) as customer_count, r.customer_share, coalesce(r.revenue, 0) as revenue, "
        "r.revenue_share, r.average_recency_days, r.average_order_count, r.average_monetary_amount, "
        "r.average_recency_score, r.average_frequency_score, r.average_monetary_score "
        "from dim_segments as s left join rpt_segment_summary as r using (segment) "
        "order by s.sort_order, s.segment")


def _distributions(exports: _Exports) -> list[dict[str, Any]]:
    """Box-plot figures per segment and RFM value: quartiles as Power BI's
    PERCENTILE.INC computes them (quantile_cont), whiskers at 1.5 IQR."""
    values_union = " union all ".join(
        f"select segment, '{name}' as measure, {order} as measure_order, cast({name} as double) as value "
        "from fct_customer_rfm" for order, (name, _) in enumerate(RFM_VALUES, start=1))
    return exports.rows(f"""
        with rfm_values as ({values_union}),
        quartiles as (
            select segment, measure, measure_order, count(*) as customers, min(value) as minimum,
                   quantile_cont(value, 0.25) as q1, quantile_cont(value, 0.5) as median,
                   quantile_cont(value, 0.75) as q3, max(value) as maximum
            from rfm_values group by segment, measure, measure_order
        ),
        whiskers as (
            select q.segment, q.measure,
                   min(v.value) filter (where v.value >= q.q1 - 1.5 * (q.q3 - q.q1)) as lower_whisker,
                   max(v.value) filter (where v.value <= q.q3 + 1.5 * (q.q3 - q.q1)) as upper_whisker
            from quartiles as q join rfm_values as v using (segment, measure)
            group by q.segment, q.measure
        )
        select q.segment, q.measure, q.customers, q.minimum, w.lower_whisker, q.q1, q.median, q.q3,
               w.upper_whisker, q.maximum
        from quartiles as q join whiskers as w using (segment, measure)
        left join dim_segments as s on s.segment = q.segment
        order by s.sort_order nulls last, q.segment, q.measure_order""")


def _champions_correlation(exports: _Exports, missing: dict[str, str]) -> list[dict[str, Any]] | None:
    if "rpt_segment_rfm_correlation" not in exports.tables:
        missing["correlation"] = ("rpt_segment_rfm_correlation.parquet is not in the exports "
                                  "(built by an older version of the project): rebuild with dbt build.")
        return None
    rows = exports.rows(
        "select measure_x, measure_y, correlation, customer_count from rpt_segment_rfm_correlation "
        "where segment = ? order by measure_x_sort_order, measure_y_sort_order", [CHAMPIONS])
    if not rows:
        missing["correlation"] = f"No {CHAMPIONS} in this build: there is nothing to correlate."
        return None
    return rows


def _demographics(exports: _Exports, missing: dict[str, str]) -> dict[str, list[dict[str, Any]]] | None:
    if "dim_customers" not in exports.tables:
        missing["demographics"] = (
            "This build has no demographics: dim_customers.parquet is not in the exports. It is built when "
            "demographics_enabled is true (the default) on a target where dbt runs Python models (DuckDB, "
            "Databricks, Snowflake, BigQuery).")
        return None
    return {
        "age_band": _by_category(exports, "age_band", "age_band_sort_order", group_small=False),
        "gender": _by_category(exports, "gender", None, group_small=False),
        "region": _by_category(exports, "region", None, group_small=True),
        "home_store": _by_category(exports, "home_store_id", None, group_small=True),
    }


def _by_category(exports: _Exports, column: str, sort_column: str | None, group_small: bool) -> list[dict[str, Any]]:
    """Customers per (category, segment), categories in `sort_column` order or
    by size; with group_small, those past the MAX_CATEGORIES largest are summed
    into "Other", which comes last."""
    keep = MAX_CATEGORIES if group_small else 1_000_000
    natural_sort = f"min(d.{sort_column})" if sort_column else "0"
    return exports.rows(f"""
        with counted as (
            select coalesce(d.{column}, 'Unknown') as category, c.segment, count(*) as customers,
                   {natural_sort} as natural_sort
            from fct_customer_rfm as c join dim_customers as d using (customer_id)
            group by all
        ),
        ranked as (
            select category, row_number() over (order by min(natural_sort), sum(customers) desc, category)
                   as category_rank
            from counted group by category
        ),
        grouped as (
            select case when r.category_rank <= {keep} then c.category else '{OTHER_CATEGORY}' end as category,
                   c.segment, sum(c.customers) as customers, least(min(r.category_rank), {keep} + 1) as category_sort
            from counted as c join ranked as r using (category)
            group by all
        )
        select g.category, g.segment, cast(g.customers as bigint) as customers, g.category_sort
        from grouped as g left join dim_segments as s using (segment)
        order by g.category_sort, s.sort_order nulls last, g.segment""")


def _monthly_by_segment(exports: _Exports) -> list[dict[str, Any]]:
    """Net revenue and active (buying, not returning) customers per month and
    current segment."""
    return exports.rows("""
        select date_trunc('month', p.purchase_date)::date as month, c.segment,
               cast(sum(p.amount) as decimal(18, 2)) as revenue,
               count(distinct p.customer_id) filter (where not p.is_return) as active_customers
        from fct_purchases as p join fct_customer_rfm as c using (customer_id)
        left join dim_segments as s on s.segment = c.segment
        group by all order by month, min(s.sort_order) nulls last, c.segment""")


def _monthly_totals(exports: _Exports) -> list[dict[str, Any]]:
    """Revenue per month and its change on the calendar month before (none
    when that month had no purchase, as Power BI's DATEADD gives blank)."""
    return exports.rows("""
        with months as (
            select date_trunc('month', purchase_date)::date as month, count(*) as purchase_lines,
                   cast(sum(amount) as decimal(18, 2)) as revenue,
                   count(distinct customer_id) filter (where not is_return) as active_customers
            from fct_purchases group by all
        )
        select m.*, round(cast(m.revenue - p.revenue as double) / abs(cast(p.revenue as double)), 6)
                    as revenue_change
        from months as m
        left join months as p on p.month = m.month - interval 1 month and p.revenue <> 0
        order by m.month""")


def _movement(exports: _Exports, missing: dict[str, str]) -> tuple[list[dict[str, Any]] | None,
                                                                    list[dict[str, Any]] | None]:
    absent = [t for t in (HISTORY_TABLE, TRANSITIONS_TABLE) if t not in exports.tables]
    if absent:
        names = " and ".join(f"{t}.parquet" for t in absent)
        missing["movement"] = (
            f"Movement between segments needs the segment history: set the var rfm_history_periods above 0 "
            f"and rebuild, so that the exports hold {names}.")
    history = transitions = None
    if HISTORY_TABLE not in absent:
        _require_columns(exports, HISTORY_TABLE, HISTORY_COLUMNS)
        history = exports.rows(
            "select period_end_date as period_end, segment, customer_count as customers, revenue, "
            f"customer_share as share from {HISTORY_TABLE} order by period_end_date, sort_order, segment")
    if TRANSITIONS_TABLE not in absent:
        _require_columns(exports, TRANSITIONS_TABLE, TRANSITIONS_COLUMNS)
        # Consecutive period ends only: the first-to-last pairs span the whole history.
        transitions = exports.rows(
            "select from_period_end_date as from_period_end, to_period_end_date as to_period_end, from_segment, "
            f"to_segment, customer_count as customers, revenue from {TRANSITIONS_TABLE} "
            "where pair_type = 'consecutive' "
            "order by to_period_end_date, from_sort_order, from_segment, to_sort_order, to_segment")
    return history, transitions


def _require_columns(exports: _Exports, table: str, expected: tuple[str, ...]) -> None:
    present = set(exports.columns(table))
    lacking = [name for name in expected if name not in present]
    if lacking:
        raise UserError(f"'{exports.folder / (table + '.parquet')}' lacks the column(s) {', '.join(lacking)}; "
                        f"the report expects {', '.join(expected)}")
