"""Purchase lines: customers' orders over time, their lines, returns and till blemishes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from rfm_segmentation.generator.settings import (
    ARCHETYPES,
    CATEGORIES,
    CATEGORY_PRICE,
    MONTH_WEIGHT,
    STORES,
    WEEKDAY_WEIGHT,
    Blemishes,
    IdLayout,
    Progress,
    id_width,
    sql_list,
)

RETURN, ANONYMOUS = 1, 2
ORDER_PREFIX = {0: "O", RETURN: "R", ANONYMOUS: "A"}


@dataclass(frozen=True)
class DrawnPurchases:
    columns: dict[str, np.ndarray]  # numeric lines, formatted by purchases_table
    home_store: np.ndarray  # per customer, for the CRM records
    order_count: int


def draw_purchases(rng: np.random.Generator, customers: int, end_date: dt.date, blemishes: Blemishes,
                   progress: Progress, behaviour_mix: Mapping[str, float] | None = None) -> DrawnPurchases:
    """Orders and lines of `customers` buyers, as numbers. The first draws from rng: the CRM records follow.

    `behaviour_mix` overrides the share of some archetypes (the others keep theirs; shares are normalised).
    """
    names = list(ARCHETYPES)
    archetypes = [ARCHETYPES[name] for name in names]
    mix = dict(behaviour_mix or {})
    shares = np.array([mix.get(name, a.share) for name, a in zip(names, archetypes, strict=True)])
    kind = rng.choice(len(names), size=customers, p=shares / shares.sum())

    def per_customer(values: Sequence[float]) -> np.ndarray:
        return np.asarray(values)[kind]

    orders_per_customer = rng.integers(
        per_customer([a.orders[0] for a in archetypes]), per_customer([a.orders[1] for a in archetypes]) + 1)
    earliest = per_customer([a.active_days_before_end[0] for a in archetypes])
    latest = per_customer([a.active_days_before_end[1] for a in archetypes])
    # Each customer is active over a personal window inside the archetype's.
    earliest = latest + ((earliest - latest) * rng.uniform(0.4, 1.0, customers)).astype(np.int64)
    home_store = rng.integers(0, len(STORES), customers)

    progress(f"drawing orders for {customers:,} customers")
    order_customer = np.repeat(np.arange(customers, dtype=np.int64), orders_per_customer)
    days_before_end = _seasonal_days(rng, earliest[order_customer], latest[order_customer], end_date)
    recent = per_customer([a.recent for a in archetypes]).astype(bool)
    first_order_of_customer = np.r_[0, np.cumsum(orders_per_customer)[:-1]]
    forced = first_order_of_customer[recent]
    days_before_end[forced] = rng.integers(0, 25, len(forced))
    end_seconds = _epoch_seconds(end_date)
    order_at = end_seconds - days_before_end * 86_400 + rng.integers(9 * 3600, 21 * 3600, len(order_customer))
    away = rng.random(len(order_customer)) < 0.15
    order_store = np.where(away, rng.integers(0, len(STORES), len(order_customer)), home_store[order_customer])
    # Order numbers follow time, as a till's would.
    chronological = np.lexsort((np.arange(len(order_at)), order_at))
    order_customer, order_at, order_store = (a[chronological] for a in (order_customer, order_at, order_store))

    progress(f"drawing lines for {len(order_at):,} orders")
    lines_per_order = rng.choice([1, 2, 3], size=len(order_at), p=[0.6, 0.3, 0.1])
    line_order = np.repeat(np.arange(len(order_at), dtype=np.int64), lines_per_order)
    line_customer = order_customer[line_order]
    category = rng.integers(0, len(CATEGORIES), len(line_order))
    quantity = rng.choice([1, 1, 1, 2, 2, 3], size=len(line_order))
    spend = per_customer([a.spend for a in archetypes])
    unit_price = CATEGORY_PRICE[category] * rng.lognormal(0.0, 0.35, len(line_order)) * spend[line_customer]
    amount_cents = np.round(unit_price * quantity * 100).astype(np.int64)
    lines = {
        "kind": np.zeros(len(line_order), dtype=np.int8),
        "order_number": line_order + 1,
        "customer": line_customer + 1,
        "purchased_at": order_at[line_order],
        "store": order_store[line_order],
        "category": category,
        "quantity": quantity,
        "amount_cents": amount_cents,
    }

    # Returns come back within 30 days as negative lines of a return order.
    returned = _take(lines, np.flatnonzero(rng.random(len(line_order)) < blemishes.returned_line))
    returned["purchased_at"] = returned["purchased_at"] + rng.integers(1, 30, len(returned["kind"])) * 86_400
    returned = _take(returned, np.flatnonzero(returned["purchased_at"] < end_seconds + 86_400))
    returned["kind"][:] = RETURN
    returned["quantity"] = -returned["quantity"]
    returned["amount_cents"] = -returned["amount_cents"]
    # Anonymous till sales: no customer id.
    anonymous = _take(lines, np.flatnonzero(rng.random(len(line_order)) < blemishes.anonymous_sale))
    anonymous["kind"][:] = ANONYMOUS
    anonymous["customer"][:] = 0

    purchases = {key: np.concatenate([lines[key], returned[key], anonymous[key]]) for key in lines}
    n = len(purchases["kind"])
    purchases["padded"] = rng.random(n) < blemishes.padded_text
    purchases["amount_missing"] = rng.random(n) < blemishes.missing_amount
    purchases["amount_cents"][rng.random(n) < blemishes.free_item] = 0
    duplicated = np.flatnonzero(rng.random(n) < blemishes.duplicate_line)
    purchases = {key: np.concatenate([values, values[duplicated]]) for key, values in purchases.items()}

    return DrawnPurchases(purchases, home_store, len(order_at))


def _take(columns: dict[str, np.ndarray], index: np.ndarray) -> dict[str, np.ndarray]:
    return {key: values[index] for key, values in columns.items()}


def _epoch_seconds(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days * 86_400


def _seasonal_days(rng: np.random.Generator, earliest: np.ndarray, latest: np.ndarray,
                   end_date: dt.date) -> np.ndarray:
    """Days before the end in [latest, earliest], thinned by month and weekday demand."""
    horizon = int(earliest.max()) + 1
    days = np.array([end_date - dt.timedelta(days=d) for d in range(horizon)])
    month = np.array([d.month - 1 for d in days])
    weekday = np.array([d.weekday() for d in days])
    accept = MONTH_WEIGHT[month] * WEEKDAY_WEIGHT[weekday]
    accept = accept / accept.max()
    out = np.empty(len(earliest), dtype=np.int64)
    todo = np.arange(len(earliest))
    while len(todo):
        span = earliest[todo] - latest[todo] + 1
        drawn = latest[todo] + (rng.random(len(todo)) * span).astype(np.int64)
        keep = rng.random(len(todo)) < accept[drawn]
        out[todo[keep]] = drawn[keep]
        todo = todo[~keep]
    return out


def purchases_table(columns: dict[str, np.ndarray], id_count: int, ids: IdLayout) -> pa.Table:
    """Numeric columns to the text layout of a till export, sorted by time.

    id_count: customer ids in use, CRM-only records included, so that buyer ids
    have the same width as the CRM's.
    """
    columns = {**columns, "order_number": columns["order_number"] + ids.order_offset,
               "customer": np.where(columns["customer"] == 0, 0, columns["customer"] + ids.customer_offset)}
    arrays = {key: pa.array(values) for key, values in columns.items()}
    numeric = pa.table(arrays)
    customer_width = ids.customer_width or id_width(id_count, 5)
    order_width = ids.order_width or id_width(int(columns["order_number"].max(initial=0)), 7)
    stores = sql_list(STORES)
    categories = sql_list(CATEGORIES)
    prefixes = sql_list([ORDER_PREFIX[k] for k in sorted(ORDER_PREFIX)])
    with duckdb.connect() as con:
        con.register("numeric_lines", numeric)
        return con.sql(f"""
            with formatted as (
                select
                    {prefixes}[kind + 1] || lpad(order_number::varchar, {order_width}, '0') as order_id,
                    case
                        when customer = 0 then null
                        when padded then ' C' || lpad(customer::varchar, {customer_width}, '0') || ' '
                        else 'C' || lpad(customer::varchar, {customer_width}, '0')
                    end as customer_id,
                    make_timestamp(purchased_at * 1000000) as purchased_at,
                    {stores}[store + 1] as store_id,
                    case when padded then ' ' || {categories}[category + 1] || ' '
                         else {categories}[category + 1] end as product_category,
                    quantity::integer as quantity,
                    case when not amount_missing then (amount_cents::decimal(18, 0) / 100)::decimal(18, 2) end
                        as amount
                from numeric_lines
            )
            select * from formatted
            order by purchased_at, order_id, product_category, amount, customer_id, store_id, quantity
        """).to_arrow_table()
