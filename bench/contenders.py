"""The two contenders `make bench` races against `dbt build`.

Both compute the project's RFM table with its default settings (NTILE in 5
bins, returns netted, no lookback, the default missing-id list) from Parquet
purchases in the generator's layout: text ids, a TIMESTAMP `purchased_at`, a
DECIMAL `amount`, an integer `quantity`. They implement the definitions of
models/intermediate/*.sql and macros/rfm/*.sql:

- exact duplicates (the same trimmed text in every column) count once;
- rows without a customer id (blank or a missing-id value, after trimming,
  case-insensitive), without a date, dated before 1900, or without an amount
  are rejected;
- reference date = the day after the latest usable purchase (returns do not
  count); rows dated after it are rejected;
- returns (negative amounts) are netted; a return from a customer with no
  kept purchase is rejected;
- recency_days = reference date - last purchase date (returns excluded);
  order_count = distinct order ids (or purchase timestamps when the id is
  empty) holding a line that is not a return; monetary = net amount, rounded
  to cents like DECIMAL(18, 2);
- customers with monetary <= 0 are not scored; each score is NTILE(5) over the
  measure, ties broken by customer_id.

Text typed inputs (CSV) are out of scope: parsing text dates and numbers
exactly like DuckDB's try_cast is not something pandas does.

Run one as its own process: `python -m bench.contenders
pandas|sql --purchases GLOB --out FILE.parquet`.
"""

from __future__ import annotations

import argparse
import glob
import sys
import unicodedata
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

BINS = 5
MISSING_CUSTOMER_IDS = ("", "n/a", "na", "null", "none", "unknown", "anonymous", "guest", "-")
# DuckDB's trim() removes the Unicode space separators (category Zs), not tabs or newlines.
DUCKDB_TRIM = "".join(chr(c) for c in range(0x3001) if unicodedata.category(chr(c)) == "Zs")
# amount is read as DECIMAL(18, 4) by the project: whole units of 1/10,000 keep sums exact.
AMOUNT_SCALE = 10_000

# The result both contenders write (and the columns the check compares).
RESULT_COLUMNS = ("customer_id", "last_purchase_date", "recency_days", "order_count", "monetary_cents",
                  "is_scored", "recency_score", "frequency_score", "monetary_score")


def ntile(position: np.ndarray, count: int, bins: int = BINS) -> np.ndarray:
    """SQL NTILE(bins) of the rows at 0-based `position` among `count` ordered rows.

    The first count % bins buckets hold one row more than the others.
    """
    size, bigger = divmod(count, bins)
    in_big = position < bigger * (size + 1)
    small = bigger + (position - bigger * (size + 1)) // max(size, 1)
    return np.where(in_big, position // (size + 1), small) + 1


def _score(customers: pd.DataFrame, measure: str, higher_is_better: bool) -> pd.Series:
    """NTILE over (measure, customer_id): sort by value then id, number the rows, bucket them.

    pd.qcut(rank(method='first')) is the notebook habit, but its bin edges are
    quantiles of the ranks, which put some boundary customers one bucket away
    from SQL's NTILE whenever the count is not a multiple of the bins.
    """
    ordered = customers.sort_values([measure, "customer_id"], ascending=[higher_is_better, True], kind="stable")
    buckets = ntile(np.arange(len(ordered)), len(ordered))
    return pd.Series(buckets, index=ordered.index).reindex(customers.index)


def pandas_rfm(paths: list[str]) -> pd.DataFrame:
    """The RFM table with pandas: groupby for the values, sort + NTILE for the scores."""
    lines = pd.concat([pd.read_parquet(path, dtype_backend="pyarrow") for path in paths], ignore_index=True)
    for column in lines.columns:
        if pd.api.types.is_string_dtype(lines[column].dtype):
            lines[column] = lines[column].str.strip(DUCKDB_TRIM)
    # Exact duplicates, on the trimmed values of every column.
    lines = lines.drop_duplicates(ignore_index=True)

    customer = lines["customer_id"].mask(lines["customer_id"] == "")
    amount = (lines["amount"].astype("float64") * AMOUNT_SCALE).round().astype("Int64")
    purchased_at = lines["purchased_at"].astype("datetime64[us]")
    date = purchased_at.dt.floor("D")
    usable = (customer.notna() & ~customer.str.lower().isin(MISSING_CUSTOMER_IDS).fillna(False)
              & purchased_at.notna() & (purchased_at >= pd.Timestamp("1900-01-01")) & amount.notna())
    reference = date[usable & (amount >= 0)].max() + pd.Timedelta(days=1)
    kept = pd.DataFrame({
        "customer_id": customer, "order_id": lines["order_id"].mask(lines["order_id"] == ""),
        "purchased_at": purchased_at, "date": date, "amount": amount,
    })[(usable & (date <= reference)).to_numpy(dtype=bool)]
    kept["amount"] = kept["amount"].astype("int64")
    is_purchase = kept["amount"] >= 0

    # An order is its id, or its timestamp when it has none; it counts if it holds a purchase line.
    purchases = kept[is_purchase.to_numpy()].assign(
        order_time=lambda d: d["purchased_at"].where(d["order_id"].isna()))
    per_customer = purchases.groupby("customer_id").agg(last_purchase_date=("date", "max"))
    per_customer["order_count"] = (
        purchases.drop_duplicates(["customer_id", "order_id", "order_time"]).groupby("customer_id").size())
    # Returns of customers without a kept purchase are rejected: only customers with a purchase are summed.
    net = kept.groupby("customer_id")["amount"].sum()
    customers = per_customer.join(net.rename("net_units")).reset_index()

    units = customers["net_units"].to_numpy()
    # DECIMAL(18, 4) -> DECIMAL(18, 2) rounds half away from zero.
    customers["monetary_cents"] = np.sign(units) * ((np.abs(units) + 50) // 100)
    customers["recency_days"] = (reference - customers["last_purchase_date"]).dt.days.astype("int64")
    customers["order_count"] = customers["order_count"].astype("int64")
    customers["last_purchase_date"] = customers["last_purchase_date"].dt.date
    customers["is_scored"] = customers["monetary_cents"] > 0
    scored = customers[customers["is_scored"]]
    customers["recency_score"] = _score(scored, "recency_days", higher_is_better=False).astype("Int64")
    customers["frequency_score"] = _score(scored, "order_count", higher_is_better=True).astype("Int64")
    customers["monetary_score"] = _score(scored, "monetary_cents", higher_is_better=True).astype("Int64")
    return customers.loc[:, list(RESULT_COLUMNS)].sort_values("customer_id", ignore_index=True)


def rfm_sql(purchases: str, bins: int = BINS) -> str:
    """The bare DuckDB query for the same table: one scan, one dedup, two aggregations, three windows."""
    path = purchases.replace("'", "''")
    missing = ", ".join("'" + value.replace("'", "''") + "'" for value in MISSING_CUSTOMER_IDS)
    return f"""
        with lines as (
            -- exact duplicates: the same trimmed text in every column
            select distinct
                trim(order_id) as order_id, trim(customer_id) as customer_id, purchased_at,
                trim(store_id) as store_id, trim(product_category) as product_category, quantity, amount
            from read_parquet('{path}', union_by_name = true)
        ),
        usable as (
            select
                customer_id, nullif(order_id, '') as order_id, purchased_at,
                cast(purchased_at as date) as purchase_date, cast(amount as decimal(18, 4)) as amount
            from lines
            where nullif(customer_id, '') is not null and lower(customer_id) not in ({missing})
                and purchased_at >= timestamp '1900-01-01' and amount is not null
        ),
        reference as (
            select max(purchase_date) + 1 as reference_date from usable where amount >= 0
        ),
        orders as (
            select
                customer_id,
                max(purchase_date) filter (where amount >= 0) as last_purchase_date,
                bool_or(amount >= 0) as is_purchase_order,
                sum(amount) as amount
            from usable, reference
            where purchase_date <= reference_date
            group by customer_id, coalesce(order_id, cast(purchased_at as varchar))
        ),
        customers as (
            select
                customer_id,
                max(last_purchase_date) as last_purchase_date,
                cast(count(*) filter (where is_purchase_order) as bigint) as order_count,
                cast(sum(amount) as decimal(18, 2)) as monetary_amount
            from orders
            group by customer_id
            -- a customer with nothing but returns: those returns are rejected
            having bool_or(is_purchase_order)
        ),
        measured as (
            select
                customers.*,
                cast(reference_date - last_purchase_date as bigint) as recency_days,
                monetary_amount > 0 as is_scored
            from customers, reference
        )
        select
            customer_id, last_purchase_date, recency_days, order_count,
            cast(monetary_amount * 100 as bigint) as monetary_cents, is_scored,
            case when is_scored then ntile({bins}) over (
                partition by is_scored order by recency_days desc, customer_id) end as recency_score,
            case when is_scored then ntile({bins}) over (
                partition by is_scored order by order_count, customer_id) end as frequency_score,
            case when is_scored then ntile({bins}) over (
                partition by is_scored order by monetary_amount, customer_id) end as monetary_score
        from measured
        order by customer_id
    """


def duckdb_rfm(purchases: str, out: Path, memory_limit: str = "1GB", threads: int = 2) -> None:
    """Run the bare query with the project's DuckDB settings and write its result to Parquet."""
    # Spill next to the result, not into the working directory (DuckDB's default for in-memory databases).
    config = {"memory_limit": memory_limit, "threads": threads, "temp_directory": str(out.parent / ".duckdb-tmp")}
    with duckdb.connect(config=config) as con:
        con.execute("set enable_progress_bar = false")
        con.execute(f"copy ({rfm_sql(purchases)}) to '{_sql_path(out)}' (format parquet, compression zstd)")


def write_pandas_result(result: pd.DataFrame, out: Path) -> None:
    table = pa.Table.from_pandas(result, preserve_index=False)
    pq.write_table(table, out, compression="zstd")


def expand(purchases: str) -> list[str]:
    paths = sorted(glob.glob(purchases))
    if not paths:
        raise SystemExit(f"no file matches {purchases!r}")
    return paths


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contender", choices=["pandas", "sql"])
    parser.add_argument("--purchases", required=True, help="Parquet file or glob")
    parser.add_argument("--out", type=Path, required=True, help="result Parquet file")
    parser.add_argument("--memory-limit", default="1GB", help="as profiles.yml")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    if args.contender == "pandas":
        write_pandas_result(pandas_rfm(expand(args.purchases)), args.out)
    else:
        duckdb_rfm(args.purchases, args.out, args.memory_limit, args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
