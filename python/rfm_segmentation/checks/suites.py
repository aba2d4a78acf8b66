"""The suites: what each published table must satisfy, as GX expectations over DuckDB frames.

What Power BI reads is what gets checked: the Parquet files of the current
build, the one the pointer in the export folder names (rfm_segmentation.publish),
and the manifest written with them. Two kinds of batch:

* customer-grain tables (fct_customer_rfm, dim_customers, ...) go to GX as
  pandas DataFrames, read by DuckDB with only the columns the expectations use;
* anything over the purchase fact (millions of rows) is first reduced by DuckDB
  to small aggregate frames (key counts, orphan counts, bucket sizes, row
  reconciliation), and GX validates those.

Why not GX's SQL datasource on the DuckDB file: with great-expectations 1.24
and duckdb-engine 0.17 (DuckDB 1.5 and 2.0) every expectation fails with
`MetricResolutionError: list index out of range` (checked again for this
command). On PostgreSQL the SQL datasource is the natural route.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from rfm_segmentation.checks.manifest import is_published, read_manifest
from rfm_segmentation.checks.recount import recount_inputs
from rfm_segmentation.demographics import AGE_BAND_LABELS, GENDER_LABELS, MAX_PLAUSIBLE_AGE, UNKNOWN
from rfm_segmentation.exports import exported_tables, known_reject_reasons, optional_exports
from rfm_segmentation.publish import current_build_dir, previous_build_dir

GENDERS = sorted({*GENDER_LABELS.values(), UNKNOWN})
# The values a correlation pairs, as rpt_segment_rfm_correlation names them.
RFM_VALUES = ("recency_days", "order_count", "monetary_amount")


@dataclass(frozen=True)
class Check:
    """One expectation: its GX class name, arguments and what it means."""

    expectation: str
    kwargs: dict[str, Any]
    description: str


@dataclass(frozen=True)
class Batch:
    """A DataFrame to validate, the table it describes, and its expectations."""

    name: str
    table: str
    frame: pd.DataFrame
    checks: list[Check]
    notes: tuple[str, ...] = ()  # printed with the summary (warnings that are not failures)


@contextmanager
def _exports_connection(exports: Path, tables: list[str]) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as con:
        for table in tables:
            path = str(exports / f"{table}.parquet").replace("'", "''")
            con.execute(f"create view {table} as select * from read_parquet('{path}')")
        yield con


def build_batches(exports: Path, project_dir: Path) -> list[Batch]:
    """Every frame to validate, with its expectations, read from the current build of the exports."""
    export_folder, exports = exports, current_build_dir(exports)
    manifest = read_manifest(exports, project_dir)
    bins = int(manifest["rfm_score_bins"])
    optional = set(optional_exports(project_dir))
    tables = [table for table in exported_tables(project_dir)
              if table not in optional or is_published(manifest, exports, table)]
    has_demographics = "dim_customers" in tables
    inputs = recount_inputs(manifest, project_dir)
    purchases_input = inputs["purchases"]
    input_rows = purchases_input.rows

    with _exports_connection(exports, tables) as con:
        def frame(sql: str) -> pd.DataFrame:
            return con.sql(sql).df()

        segments = [row[0] for row in con.sql("select segment from dim_segments order by sort_order").fetchall()]
        # Orphans on each side of the relationships Power BI draws: all must be zero.
        relationships = frame(f"""
                select
                    (select count(distinct customer_id) from fct_purchases
                     where customer_id not in (select customer_id from fct_customer_rfm))
                        as purchase_customers_not_in_fct_customer_rfm,
                    (select count(distinct purchase_date) from fct_purchases
                     where purchase_date not in (select date_day from dim_dates))
                        as purchase_dates_not_in_dim_dates,
                    (select count(*) from fct_customer_rfm
                     where segment not in (select segment from dim_segments)) as customer_segments_not_in_dim_segments,
                    (select count(*) from rpt_segment_summary
                     where segment not in (select segment from dim_segments)) as summary_segments_not_in_dim_segments
                    {''',
                    (select count(*) from dim_customers
                     where customer_id not in (select customer_id from fct_customer_rfm))
                        as dim_customers_not_in_fct_customer_rfm,
                    (select count(*) from fct_customer_rfm
                     where customer_id not in (select customer_id from dim_customers))
                        as fct_customer_rfm_not_in_dim_customers''' if has_demographics else ''}
""")
        batches = [
            Batch("customers", "fct_customer_rfm", frame("""
                select customer_id, customer_key, segment, recency_score, frequency_score, monetary_score,
                       recency_days, order_count from fct_customer_rfm"""), [
                Check("ExpectColumnValuesToNotBeNull", {"column": "customer_id"}, "every customer has an id"),
                Check("ExpectColumnValuesToBeUnique", {"column": "customer_id"}, "one row per customer"),
                Check("ExpectColumnValuesToBeUnique", {"column": "customer_key"},
                      "one whole-number key per customer (Power BI relates on it)"),
                *[Check("ExpectColumnValuesToBeBetween", {"column": score, "min_value": 1, "max_value": bins},
                        f"scores are within 1..{bins}") for score in
                  ("recency_score", "frequency_score", "monetary_score")],
                Check("ExpectColumnValuesToNotBeNull", {"column": "segment"}, "every customer has a segment"),
                Check("ExpectColumnValuesToBeInSet", {"column": "segment", "value_set": segments},
                      "every segment is in the catalogue (dim_segments)"),
                Check("ExpectColumnValuesToBeBetween", {"column": "recency_days", "min_value": 0},
                      "recency_days >= 0"),
                Check("ExpectColumnValuesToBeBetween", {"column": "order_count", "min_value": 1},
                      "frequency (order_count) >= 1"),
            ]),
            Batch("segment catalogue", "dim_segments",
                  frame("select segment, sort_order, color_hex from dim_segments"), [
                Check("ExpectColumnValuesToBeUnique", {"column": "segment"}, "segment names are unique"),
                Check("ExpectColumnValuesToNotBeNull", {"column": "segment"}, "segment names are present"),
                Check("ExpectColumnValuesToBeUnique", {"column": "sort_order"}, "sort orders are unique"),
                Check("ExpectColumnValuesToMatchRegex", {"column": "color_hex", "regex": r"^#[0-9A-F]{6}$"},
                      "colours are #RRGGBB"),
            ]),
            Batch("segment summary", "rpt_segment_summary", frame("select segment from rpt_segment_summary"), [
                Check("ExpectColumnValuesToBeUnique", {"column": "segment"}, "one row per segment"),
                Check("ExpectColumnValuesToBeInSet", {"column": "segment", "value_set": segments},
                      "every summarised segment is in the catalogue"),
            ]),
            Batch("calendar", "dim_dates", frame("select date_day from dim_dates"), [
                Check("ExpectColumnValuesToBeUnique", {"column": "date_day"}, "one row per day"),
                Check("ExpectColumnValuesToNotBeNull", {"column": "date_day"}, "every row has a date"),
            ]),
            # Aggregates computed by DuckDB: the purchase fact is never loaded row by row.
            Batch("purchase keys", "fct_purchases", frame("""
                select count(*) as row_count, count(distinct purchase_key) as distinct_keys,
                       count(*) - count(purchase_key) as missing_keys,
                       count(*) - count(customer_id) as missing_customers
                from fct_purchases"""), [
                Check("ExpectColumnPairValuesToBeEqual", {"column_A": "row_count", "column_B": "distinct_keys"},
                      "purchase_key is unique"),
                Check("ExpectColumnValuesToBeBetween", {"column": "missing_keys", "min_value": 0, "max_value": 0},
                      "purchase_key is never null"),
                Check("ExpectColumnValuesToBeBetween",
                      {"column": "missing_customers", "min_value": 0, "max_value": 0},
                      "every accepted purchase has a customer"),
            ]),
            Batch("rejected rows", "fct_purchases_rejected", frame("""
                select count(*) as row_count, count(distinct purchase_key) as distinct_keys,
                       count(*) - count(purchase_key) as missing_keys,
                       count(*) - count(nullif(trim(reject_reason), '')) as missing_reasons
                from fct_purchases_rejected"""), [
                Check("ExpectColumnPairValuesToBeEqual", {"column_A": "row_count", "column_B": "distinct_keys"},
                      "purchase_key of a rejected row is unique"),
                Check("ExpectColumnValuesToBeBetween", {"column": "missing_keys", "min_value": 0, "max_value": 0},
                      "purchase_key of a rejected row is never null"),
                Check("ExpectColumnValuesToBeBetween", {"column": "missing_reasons", "min_value": 0, "max_value": 0},
                      "every rejected row says why (reject_reason)"),
            ]),
            Batch("reconciliation", "rpt_purchases_reconciliation", frame(f"""
                select
                    {input_rows if input_rows is not None else 'null'}::bigint as input_rows,
                    (select sum(row_count) from rpt_purchases_reconciliation)::bigint as reported_rows,
                    (select count(*) from fct_purchases)
                    + (select count(*) from fct_purchases_rejected)
                    + (select coalesce(sum(row_count), 0) from rpt_purchases_reconciliation
                       where outcome = 'duplicate_removed') as accounted_rows,
                    (select count(*) from fct_purchases) as accepted_rows,
                    (select coalesce(sum(row_count), 0) from rpt_purchases_reconciliation
                     where outcome = 'accepted')::bigint as reported_accepted_rows,
                    (select count(*) from fct_purchases_rejected) as rejected_rows,
                    (select coalesce(sum(row_count), 0) from rpt_purchases_reconciliation
                     where outcome = 'rejected')::bigint as reported_rejected_rows"""), [
                *([Check("ExpectColumnPairValuesToBeEqual", {"column_A": "input_rows", "column_B": "reported_rows"},
                         f"every input row ({purchases_input.label}) is accounted for in the reconciliation")]
                  if input_rows is not None else []),
                Check("ExpectColumnPairValuesToBeEqual", {"column_A": "reported_rows", "column_B": "accounted_rows"},
                      "reported rows = accepted + rejected + duplicates removed"),
                Check("ExpectColumnPairValuesToBeEqual",
                      {"column_A": "accepted_rows", "column_B": "reported_accepted_rows"},
                      "fct_purchases has the accepted rows the report counts"),
                Check("ExpectColumnPairValuesToBeEqual",
                      {"column_A": "rejected_rows", "column_B": "reported_rejected_rows"},
                      "fct_purchases_rejected has the rejected rows the report counts"),
            ]),
            Batch("relationships", "fct_purchases, fct_customer_rfm, dim_dates, dim_segments", relationships, [
                Check("ExpectColumnValuesToBeBetween", {"column": column, "min_value": 0, "max_value": 0},
                      column.replace("_", " ") + ": none (referential integrity for Power BI's relationships)")
                for column in relationships.columns]),
        ]

        if manifest.get("rfm_scoring_method") == "ntile":
            batches.append(Batch("score buckets", "fct_customer_rfm", frame("""
                with buckets as (
                    select score, bucket, count(*) as customers
                    from (
                        unpivot (select recency_score, frequency_score, monetary_score from fct_customer_rfm
                                 where recency_score is not null)
                        on recency_score, frequency_score, monetary_score into name score value bucket
                    )
                    group by score, bucket
                )
                select score, max(customers) - min(customers) as bucket_size_spread
                from buckets group by score order by score"""), [
                Check("ExpectColumnValuesToBeBetween",
                      {"column": "bucket_size_spread", "min_value": 0, "max_value": 1},
                      "NTILE buckets of each score differ in size by at most one customer"),
            ]))

        # One row per segment with customers and per ordered pair of RFM values (nine per segment).
        batches.append(Batch("segment correlations", "rpt_segment_rfm_correlation", frame("""
                select segment, measure_x, measure_y, measure_x_sort_order, measure_y_sort_order,
                       correlation::double as correlation, customer_count,
                       segment || ' / ' || measure_x || ' / ' || measure_y as segment_pair
                from rpt_segment_rfm_correlation"""), [
            Check("ExpectColumnValuesToBeUnique", {"column": "segment_pair"}, "one row per segment and pair of values"),
            Check("ExpectColumnValuesToBeInSet", {"column": "segment", "value_set": segments},
                  "every correlated segment is in the catalogue"),
            *[Check("ExpectColumnValuesToBeInSet", {"column": column, "value_set": list(RFM_VALUES)},
                    f"{column} is one of recency_days, order_count, monetary_amount") for column in
              ("measure_x", "measure_y")],
            Check("ExpectColumnValuesToBeBetween", {"column": "correlation", "min_value": -1, "max_value": 1},
                  "correlations are within [-1, 1] (null when a value does not vary)"),
            Check("ExpectColumnValuesToBeBetween", {"column": "customer_count", "min_value": 1},
                  "each correlation is over at least one customer"),
        ]))
        correlation_coverage = frame(f"""
                with pairs as (
                    select segment, count(*) as pair_count, count(distinct measure_x) as x_values,
                           count(distinct measure_y) as y_values, count(distinct customer_count) as customer_counts,
                           count(distinct measure_x_sort_order) as x_orders,
                           count(distinct measure_y_sort_order) as y_orders,
                           max(customer_count) as customer_count,
                           count(*) filter (where measure_x = measure_y
                                            and correlation is not null and correlation <> 1) as diagonal_not_one
                    from rpt_segment_rfm_correlation group by segment
                ),
                populated as (
                    select segment, count(*) as customer_count from fct_customer_rfm group by segment
                )
                select
                    (select count(*) from pairs where pair_count <> {len(RFM_VALUES) ** 2}
                        or x_values <> {len(RFM_VALUES)} or y_values <> {len(RFM_VALUES)}
                        or x_orders <> {len(RFM_VALUES)} or y_orders <> {len(RFM_VALUES)})
                        as segments_without_every_pair,
                    (select count(*) from pairs where customer_counts <> 1) as segments_with_several_customer_counts,
                    (select count(*) from populated left join pairs using (segment)
                     where pairs.segment is null) as populated_segments_without_correlations,
                    (select count(*) from pairs left join populated using (segment)
                     where pairs.customer_count is distinct from populated.customer_count)
                        as correlation_customer_counts_not_in_fct_customer_rfm,
                    (select coalesce(sum(diagonal_not_one), 0) from pairs)::bigint as diagonal_correlations_not_one""")
        batches.append(Batch("segment correlation coverage", "rpt_segment_rfm_correlation, fct_customer_rfm",
                             correlation_coverage, [
            Check("ExpectColumnValuesToBeBetween", {"column": column, "min_value": 0, "max_value": 0},
                  column.replace("_", " ") + ": none")
            for column in correlation_coverage.columns]))

        batches.append(Batch("reject reasons", "fct_purchases_rejected",
                             frame("select distinct reject_reason from fct_purchases_rejected"), [
            Check("ExpectColumnValuesToBeInSet",
                  {"column": "reject_reason", "value_set": known_reject_reasons(project_dir)},
                  "every reject reason is a documented one (int_purchases_screened's accepted values)"),
        ]))
        batches.append(_amount_outlier_batch(frame, manifest))
        drift = drift_batch(exports, previous_build_dir(export_folder))
        if drift is not None:
            batches.append(drift)

        if has_demographics:
            batches.append(Batch("demographics", "dim_customers", frame(
                "select customer_id, gender, age_band, age_years from dim_customers"), [
                Check("ExpectColumnValuesToNotBeNull", {"column": "customer_id"}, "every row has a customer id"),
                Check("ExpectColumnValuesToBeUnique", {"column": "customer_id"}, "one row per customer"),
                Check("ExpectColumnValuesToBeInSet", {"column": "gender", "value_set": GENDERS},
                      "gender labels are normalised"),
                Check("ExpectColumnValuesToBeInSet", {"column": "age_band", "value_set": list(AGE_BAND_LABELS)},
                      "age bands are the documented ones"),
                Check("ExpectColumnValuesToBeBetween",
                      {"column": "age_years", "min_value": 0, "max_value": MAX_PLAUSIBLE_AGE}, "ages are plausible"),
            ]))
            customers_input = inputs.get("customers")
            if customers_input is not None and customers_input.rows is not None:
                batches.append(Batch("demographics input", "dim_customers", frame(f"""
                    select {customers_input.rows}::bigint as input_rows,
                           count(*) filter (where has_demographics) as customers_with_demographics
                    from dim_customers"""), [
                    Check("ExpectColumnPairValuesAToBeGreaterThanB",
                          {"column_A": "input_rows", "column_B": "customers_with_demographics", "or_equal": True},
                          f"every customer with demographics has a row in the input ({customers_input.label})"),
                ]))
        batches.append(Batch("segment grid", "rpt_rfm_grid", frame("""
            select count(*) as cells, sum(customer_count) as grid_customers,
                   (select count(*) from fct_customer_rfm where is_scored) as scored_customers
            from rpt_rfm_grid"""), [
            Check("ExpectColumnValuesToBeBetween", {"column": "cells", "min_value": 25, "max_value": 25},
                  "the grid has the 25 R x FM cells"),
            Check("ExpectColumnPairValuesToBeEqual", {"column_A": "grid_customers", "column_B": "scored_customers"},
                  "the grid's cells add up to the scored customers"),
        ]))
        batches.append(Batch("report axes", "dim_rfm_value_pairs, dim_rfm_grid_cells", frame("""
            select (select count(*) from dim_rfm_value_pairs) as value_pairs,
                   (select count(distinct grid_cell_key) from dim_rfm_grid_cells) as grid_cells,
                   (select count(*) from fct_customer_rfm
                    where is_scored and grid_cell_key not in (select grid_cell_key from dim_rfm_grid_cells))
                       as scored_customers_off_the_grid"""), [
            Check("ExpectColumnValuesToBeBetween", {"column": "value_pairs", "min_value": 9, "max_value": 9},
                  "the heat map's axes are the 9 pairs of R, F and M values"),
            Check("ExpectColumnValuesToBeBetween", {"column": "grid_cells", "min_value": 25, "max_value": 25},
                  "the grid has the 25 R x FM cells, one key each"),
            Check("ExpectColumnValuesToBeBetween",
                  {"column": "scored_customers_off_the_grid", "min_value": 0, "max_value": 0},
                  "every scored customer's grid_cell_key is a cell of dim_rfm_grid_cells"),
        ]))
        if "fct_customer_clv" in tables and "rpt_clv_model" in tables:
            batches.append(_clv_batch(frame))
        if "rpt_segment_history" in tables and "rpt_segment_transitions" in tables:
            batches.append(_history_batch(frame))
    return batches


def _clv_batch(frame: Any) -> Batch:
    """Predicted value: one row per RFM customer, probabilities within 0..1, nothing negative expected."""
    return Batch("predicted value", "fct_customer_clv, rpt_clv_model", frame("""
        select c.customer_id, c.p_alive, c.expected_purchases_90d, c.expected_purchases_365d,
               (select count(*) from rpt_clv_model) as model_rows,
               (select count(*) from fct_customer_rfm) as rfm_customers,
               (select count(*) from fct_customer_clv) as clv_customers
        from fct_customer_clv as c"""), [
        Check("ExpectColumnValuesToBeUnique", {"column": "customer_id"}, "one row per customer"),
        Check("ExpectColumnPairValuesToBeEqual", {"column_A": "clv_customers", "column_B": "rfm_customers"},
              "every customer of fct_customer_rfm has a predicted value row"),
        Check("ExpectColumnValuesToBeBetween", {"column": "p_alive", "min_value": 0, "max_value": 1},
              "P(alive) is a probability"),
        Check("ExpectColumnValuesToBeBetween", {"column": "expected_purchases_90d", "min_value": 0},
              "expected purchases are not negative"),
        Check("ExpectColumnPairValuesAToBeGreaterThanB",
              {"column_A": "expected_purchases_365d", "column_B": "expected_purchases_90d", "or_equal": True,
               "ignore_row_if": "either_value_is_missing"},
              "a longer horizon never expects fewer purchases"),
        Check("ExpectColumnValuesToBeBetween", {"column": "model_rows", "min_value": 1, "max_value": 1},
              "rpt_clv_model is one row"),
    ])


def _history_batch(frame: Any) -> Batch:
    """Segment history: shares per period end add up to 1; transitions add up to both ends' counts."""
    return Batch("segment history", "rpt_segment_history, rpt_segment_transitions", frame("""
        with periods as (
            select period_end_date, sum(customer_count) as customers, sum(customer_share) as share_total
            from rpt_segment_history group by 1
        ),
        pairs as (
            select to_period_end_date, sum(customer_count) as moved
            from rpt_segment_transitions where pair_type = 'consecutive'
              and to_segment not in ('Not yet a customer', 'Outside lookback window')
            group by 1
        )
        select periods.period_end_date, round(periods.share_total, 4) as share_total,
               periods.customers, pairs.moved
        from periods left join pairs on pairs.to_period_end_date = periods.period_end_date"""), [
        Check("ExpectColumnValuesToBeBetween", {"column": "share_total", "min_value": 0.9999, "max_value": 1.0001},
              "segment shares add up to 1 at every period end"),
        Check("ExpectColumnPairValuesToBeEqual",
              {"column_A": "moved", "column_B": "customers", "ignore_row_if": "either_value_is_missing"},
              "customers arriving at a period end equal its segment counts"),
    ])


def drift_batch(current: Path, baseline: Path | None) -> Batch | None:
    """PSI of the scored customers against the previous build (as `rfm drift`): fails above
    drift.FAIL_ABOVE; PSIs above drift.WARN_ABOVE are noted. None after the first build."""
    if baseline is None:
        return None
    from rfm_segmentation.drift import FAIL_ABOVE, compute_drift

    report = compute_drift(current, baseline)
    frame = pd.DataFrame({"distribution": [m.name for m in report.metrics],
                          "psi": [round(m.psi, 6) for m in report.metrics]})
    notes = tuple(f"drift {report.status(m.psi)}: PSI of {m.name} = {m.psi:.4f} against {baseline.name} "
                  "(see `rfm drift`)" for m in report.metrics if m.psi > report.warn_above)
    return Batch("drift against the previous build", "fct_customer_rfm", frame, [
        Check("ExpectColumnValuesToBeBetween", {"column": "psi", "min_value": 0, "max_value": FAIL_ABOVE},
              f"population stability index of recency, orders, spend, segments and R x FM cells "
              f"<= {FAIL_ABOVE:g} against the previous build"),
    ], notes)


def _amount_outlier_batch(frame: Callable[[str], pd.DataFrame], manifest: dict[str, Any]) -> Batch:
    """Lines beyond the build's outlier limit (amount_outlier_factor x the 99.9th percentile of absolute
    amounts, in the manifest): none accepted when amount_outliers is 'reject'; kept ones are noted."""
    limit = manifest.get("amount_outlier_limit")
    mode = manifest.get("amount_outliers", "keep")
    beyond = f"abs(amount) > {float(limit)!r}" if limit is not None else "false"
    counts = frame(f"""
        select (select count(*) from fct_purchases where {beyond}) as accepted_beyond_limit,
               (select count(*) from fct_purchases_rejected where reject_reason = 'amount_outlier'
                and not ({beyond})) as rejected_within_limit,
               (select count(*) from fct_purchases_rejected
                where reject_reason = 'amount_outlier') as rejected_outliers""")
    accepted = int(counts["accepted_beyond_limit"].iloc[0])
    checks = [Check("ExpectColumnValuesToBeBetween",
                    {"column": "rejected_within_limit", "min_value": 0, "max_value": 0},
                    "every line rejected as amount_outlier is beyond the outlier limit")]
    if mode == "reject":
        checks.append(Check("ExpectColumnValuesToBeBetween",
                            {"column": "accepted_beyond_limit", "min_value": 0, "max_value": 0},
                            "no accepted line is beyond the outlier limit (amount_outliers: reject)"))
    else:
        checks.append(Check("ExpectColumnValuesToBeBetween",
                            {"column": "rejected_outliers", "min_value": 0, "max_value": 0},
                            "no line is rejected as amount_outlier (amount_outliers: keep)"))
    notes = (f"warn: {accepted:,} accepted purchase line(s) beyond the amount outlier limit {limit} "
             "(amount_outlier_factor x the 99.9th percentile of absolute amounts); kept because "
             "amount_outliers is 'keep'",) if accepted else ()
    return Batch("amount outliers", "fct_purchases, fct_purchases_rejected", counts, checks, notes)
