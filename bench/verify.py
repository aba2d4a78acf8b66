"""Do the three contenders give the same RFM? Compared on a sample of customers, and on all of them.

The sample is 1,000 random customers of the dbt build, plus the customers on
either side of every NTILE boundary (first and last of each bucket, for R, F
and M), plus a few unscored ones. Every compared column must be equal, a
missing customer on either side counts as a difference, and the report lists
examples of any difference it finds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from bench.contenders import BINS

COMPARED = ("last_purchase_date", "recency_days", "order_count", "monetary_cents", "is_scored",
            "recency_score", "frequency_score", "monetary_score")
# Score -> (measure, ascending): NTILE's ordering, as in macros/rfm/rfm_score.sql (ties by customer_id).
SCORES = {"recency_score": ("recency_days", False), "frequency_score": ("order_count", True),
          "monetary_score": ("monetary_cents", True)}


def _order(measure: str, ascending: bool, reverse: bool = False) -> str:
    forward = ascending != reverse
    return f"{measure} {'asc' if forward else 'desc'}, customer_id {'desc' if reverse else 'asc'}"


def _dbt_view(path: Path) -> str:
    return f"""
        select
            customer_id, last_purchase_date, cast(recency_days as bigint) as recency_days,
            cast(order_count as bigint) as order_count, cast(monetary_amount * 100 as bigint) as monetary_cents,
            is_scored, cast(recency_score as bigint) as recency_score,
            cast(frequency_score as bigint) as frequency_score, cast(monetary_score as bigint) as monetary_score
        from read_parquet('{_sql_path(path)}')"""


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def compare(dbt_export: Path, others: dict[str, Path], sample_size: int = 1000, seed: int = 42) -> dict[str, Any]:
    """Compare dbt's fct_customer_rfm.parquet with each of `others` (contender name -> result Parquet)."""
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.execute(f"create view dbt as {_dbt_view(dbt_export)}")
        boundaries = " union ".join(
            f"""select customer_id from (
                    select customer_id,
                        row_number() over (partition by {score} order by {_order(*order)}) as first_in_bucket,
                        row_number() over (
                            partition by {score} order by {_order(*order, reverse=True)}) as last_in_bucket
                    from dbt where is_scored)
                where first_in_bucket = 1 or last_in_bucket = 1"""
            for score, order in SCORES.items())
        con.execute(f"""
            create table sample_ids as
            select customer_id
            from (select customer_id from dbt order by hash(customer_id || '{seed}') limit {sample_size})
            union select customer_id from ({boundaries})
            union select customer_id
            from (select customer_id from dbt where not is_scored order by customer_id limit 10)
        """)
        (sampled,), = con.execute("select count(*) from sample_ids").fetchall()
        (boundary_count,), = con.execute(f"select count(*) from ({boundaries})").fetchall()
        results: dict[str, Any] = {
            "sample_customers": sampled,
            "boundary_customers": boundary_count,
            "customers": {"dbt": con.execute("select count(*) from dbt").fetchone()[0]},  # type: ignore[index]
            "contenders": {},
        }
        for name, path in others.items():
            # Another dbt build's export (dbt_core) is read as the dbt one is.
            other = _dbt_view(path) if name.startswith("dbt") else f"select * from read_parquet('{_sql_path(path)}')"
            con.execute(f"create or replace view other as {other}")
            results["customers"][name] = con.execute("select count(*) from other").fetchone()[0]  # type: ignore[index]
            differs = ", ".join(
                f"count(*) filter (where dbt.{c} is distinct from other.{c} or dbt.customer_id is null "
                f"or other.customer_id is null) as {c}" for c in COMPARED)
            joined = "dbt full join other using (customer_id)"
            sample = con.execute(f"""
                select {differs} from {joined}
                where customer_id in (select customer_id from sample_ids)""").fetchone()
            everyone = con.execute(f"select {differs} from {joined}").fetchone()
            examples = con.execute(f"""
                select customer_id, {', '.join(f'dbt.{c} as dbt_{c}, other.{c} as {name}_{c}' for c in COMPARED)}
                from {joined}
                where dbt.customer_id is null or other.customer_id is null
                    or {' or '.join(f'dbt.{c} is distinct from other.{c}' for c in COMPARED)}
                order by customer_id limit 5""")
            example_rows = [dict(zip([d[0] for d in examples.description], map(str, row), strict=True))
                            for row in examples.fetchall()]
            results["contenders"][name] = {
                "sample_differences": dict(zip(COMPARED, sample, strict=True)),  # type: ignore[arg-type]
                "all_differences": dict(zip(COMPARED, everyone, strict=True)),  # type: ignore[arg-type]
                "examples": example_rows,
            }
        results["same"] = all(
            not any(found["sample_differences"].values()) and not any(found["all_differences"].values())
            for found in results["contenders"].values())
        return results


def qcut_differences(dbt_export: Path) -> dict[str, int]:
    """How many scored customers the notebook habit pd.qcut(rank(method='first'), 5) would score
    differently from NTILE, per score: the reason the pandas contender uses the NTILE formula instead."""
    import pandas as pd

    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        scored = con.execute(f"select * from ({_dbt_view(dbt_export)}) where is_scored").df()
    found = {}
    for score, (measure, ascending) in SCORES.items():
        ordered = scored.sort_values([measure, "customer_id"], ascending=[ascending, True], kind="stable")
        rank = pd.Series(range(1, len(ordered) + 1), index=ordered.index)
        qcut = pd.qcut(rank, BINS, labels=False) + 1
        found[score] = int((qcut != ordered[score]).sum())
    return found
