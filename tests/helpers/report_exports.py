"""Small hand-made export folders for the report tests: the columns the
report reads, with values simple enough to compute the figures by hand."""

from __future__ import annotations

from pathlib import Path

import duckdb

SEGMENTS_SQL = """
select * from (values
    ('Champions', 1, 'Buy often.', 'Reward them.', '#1B7F3B', false),
    ('Lost', 2, 'Gone.', 'Win them back.', '#616161', false),
    ('No Net Spend', 3, 'Refunded <everything>.', 'Review "refunds".', '#795548', true)
) as t(segment, sort_order, description, recommended_action, color_hex, is_unscored_segment)"""

# recency 1, 2, 3, 4, 100 among Champions: Q1 2, median 3, Q3 4, so the
# upper whisker stops at 4 (fence 7) while the maximum is 100.
CUSTOMERS_SQL = """
select customer_id, segment, cast(recency_days as integer) as recency_days, cast(order_count as bigint) as order_count,
       cast(monetary_amount as decimal(18, 2)) as monetary_amount, is_scored,
       cast(recency_score as integer) as recency_score, cast(frequency_score as integer) as frequency_score,
       cast(monetary_score as integer) as monetary_score, cast(rfm_score as integer) as rfm_score, rfm_cell,
       date '2025-07-01' as reference_date
from (values
    ('C1', 'Champions', 1, 5, 500.00, true, 5, 5, 5, 15, '555'),
    ('C2', 'Champions', 2, 4, 400.00, true, 5, 4, 5, 14, '545'),
    ('C3', 'Champions', 3, 3, 300.00, true, 4, 4, 4, 12, '444'),
    ('C4', 'Champions', 4, 2, 200.00, true, 4, 3, 3, 10, '433'),
    ('C5', 'Champions', 100, 1, 100.00, true, 4, 2, 3, 9, '423'),
    ('L1', 'Lost', 300, 1, 10.00, true, 1, 1, 1, 3, '111'),
    ('N1', 'No Net Spend', 50, 1, -5.00, false, null, null, null, null, null)
) as t(customer_id, segment, recency_days, order_count, monetary_amount, is_scored, recency_score,
       frequency_score, monetary_score, rfm_score, rfm_cell)"""

PURCHASES_SQL = """
select customer_id, cast(purchase_date as date) as purchase_date, cast(amount as decimal(18, 4)) as amount,
       amount < 0 as is_return
from (values
    ('C1', '2025-05-10', 200.00), ('C1', '2025-06-30', 300.00), ('C2', '2025-06-29', 400.00),
    ('C3', '2025-06-28', 300.00), ('C4', '2025-06-27', 200.00), ('C5', '2025-03-23', 100.00),
    ('L1', '2024-09-04', 10.00), ('N1', '2025-05-12', 5.00), ('N1', '2025-05-20', -10.00)
) as t(customer_id, purchase_date, amount)"""

SUMMARY_SQL = """
select segment, cast(customer_count as bigint) as customer_count,
       cast(customer_share as decimal(9, 6)) as customer_share, cast(revenue as decimal(18, 2)) as revenue,
       cast(revenue_share as decimal(18, 6)) as revenue_share,
       cast(average_recency_days as decimal(18, 2)) as average_recency_days,
       cast(average_order_count as decimal(18, 2)) as average_order_count,
       cast(average_monetary_amount as decimal(18, 2)) as average_monetary_amount,
       cast(r as decimal(9, 2)) as average_recency_score, cast(f as decimal(9, 2)) as average_frequency_score,
       cast(m as decimal(9, 2)) as average_monetary_score
from (values
    ('Champions', 5, 0.714286, 1500.00, 0.996678, 22.00, 3.00, 300.00, 4.40, 3.60, 4.00),
    ('Lost', 1, 0.142857, 10.00, 0.006645, 300.00, 1.00, 10.00, 1.00, 1.00, 1.00),
    ('No Net Spend', 1, 0.142857, -5.00, -0.003322, 50.00, 1.00, -5.00, null, null, null)
) as t(segment, customer_count, customer_share, revenue, revenue_share, average_recency_days,
       average_order_count, average_monetary_amount, r, f, m)"""

CORRELATION_SQL = """
select segment, x as measure_x, cast(xs as integer) as measure_x_sort_order, y as measure_y,
       cast(ys as integer) as measure_y_sort_order, cast(c as decimal(9, 6)) as correlation,
       cast(5 as bigint) as customer_count
from (values
    ('Champions', 'recency_days', 1, 'recency_days', 1, 1.0), ('Champions', 'recency_days', 1, 'order_count', 2, -0.5),
    ('Champions', 'recency_days', 1, 'monetary_amount', 3, null),
    ('Champions', 'order_count', 2, 'recency_days', 1, -0.5), ('Champions', 'order_count', 2, 'order_count', 2, 1.0),
    ('Champions', 'order_count', 2, 'monetary_amount', 3, 0.25),
    ('Champions', 'monetary_amount', 3, 'recency_days', 1, null),
    ('Champions', 'monetary_amount', 3, 'order_count', 2, 0.25),
    ('Champions', 'monetary_amount', 3, 'monetary_amount', 3, 1.0),
    ('Lost', 'recency_days', 1, 'recency_days', 1, null)
) as t(segment, x, xs, y, ys, c)"""

DEMOGRAPHICS_SQL = """
select customer_id, age_band, cast(age_band_sort_order as integer) as age_band_sort_order, gender, region,
       home_store_id
from (values
    ('C1', '25-34', 3, 'Female', 'R1', 'S01'), ('C2', '18-24', 2, 'Male', 'R1', 'S01'),
    ('C3', '65+', 7, 'Female', 'R2', 'S02'), ('C4', '25-34', 3, 'Other', 'R3', 'S02'),
    ('C5', 'Unknown', 8, 'Unknown', 'R3', 'S03'), ('L1', '18-24', 2, 'Male', 'R1', 'S01'),
    ('N1', 'Unknown', 8, 'Unknown', 'Unknown', 'S03')
) as t(customer_id, age_band, age_band_sort_order, gender, region, home_store_id)"""

HISTORY_SQL = """
select cast(period_end as date) as period_end_date, segment, sort_order, cast(customers as bigint) as customer_count,
       cast(share as decimal(9, 6)) as customer_share, cast(revenue as decimal(18, 2)) as revenue
from (values
    ('2025-03-31', 'Champions', 1, 3, 900.00, 0.5), ('2025-03-31', 'Lost', 11, 3, 30.00, 0.5),
    ('2025-06-30', 'Champions', 1, 5, 1500.00, 0.714286), ('2025-06-30', 'Lost', 11, 1, 10.00, 0.142857),
    ('2025-06-30', 'No Net Spend', 12, 1, -5.00, 0.142857)
) as t(period_end, segment, sort_order, customers, revenue, share)"""

TRANSITIONS_SQL = """
select pair_type, cast(from_period_end as date) as from_period_end_date,
       cast(to_period_end as date) as to_period_end_date, from_segment, to_segment, from_sort_order, to_sort_order,
       cast(customers as bigint) as customer_count,
       cast(revenue as decimal(18, 2)) as revenue
from (values
    ('consecutive', '2024-12-31', '2025-03-31', 'Lost', 'Champions', 11, 1, 7, 70.00),
    ('consecutive', '2025-03-31', '2025-06-30', 'Champions', 'Champions', 1, 1, 3, 900.00),
    ('consecutive', '2025-03-31', '2025-06-30', 'Lost', 'Champions', 11, 1, 2, 600.00),
    ('consecutive', '2025-03-31', '2025-06-30', 'Lost', 'No Net Spend', 11, 12, 1, -5.00),
    ('first_to_last', '2024-12-31', '2025-06-30', 'Lost', 'Champions', 11, 1, 7, 1500.00)
) as t(pair_type, from_period_end, to_period_end, from_segment, to_segment, from_sort_order, to_sort_order,
       customers, revenue)"""


def write_exports(folder: Path, *, demographics: bool = True, history: bool = False,
                  manifest: bool = True) -> Path:
    """Write the hand-made export folder; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"dim_segments": SEGMENTS_SQL, "fct_customer_rfm": CUSTOMERS_SQL, "fct_purchases": PURCHASES_SQL,
              "rpt_segment_summary": SUMMARY_SQL, "rpt_segment_rfm_correlation": CORRELATION_SQL}
    if demographics:
        tables["dim_customers"] = DEMOGRAPHICS_SQL
    if history:
        tables["rpt_segment_history"] = HISTORY_SQL
        tables["rpt_segment_transitions"] = TRANSITIONS_SQL
    with duckdb.connect() as connection:
        for name, sql in tables.items():
            write_table(connection, folder / f"{name}.parquet", sql)
    if manifest:
        (folder / "rfm_export_manifest.json").write_text(
            '{"built_at": "2025-07-01T08:00:00Z", "rfm_score_bins": 5, "rfm_scoring_method": "ntile"}')
    return folder


def write_table(connection: duckdb.DuckDBPyConnection, path: Path, sql: str) -> None:
    connection.execute(f"copy ({sql}) to '{path}' (format parquet)")
