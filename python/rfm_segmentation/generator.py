"""Realistic, seeded sample data: purchase lines and CRM demographics.

Customers follow behaviour archetypes (one-off buyers, new, loyal, big spenders,
promising, lapsing, churned, lost big spenders), so every RFM segment appears.
Purchases follow a yearly season (a November-December peak) and a weekly
pattern, across stores and product categories, with a few returns. Both files
carry the blemishes of real CRM and till exports at small seeded rates.

Everything is drawn with numpy from one seeded generator, so a seed always
gives the same files; DuckDB turns the numeric arrays into text and writes the
files, which keeps 10 million lines well under a minute.

Beyond CHUNK_CUSTOMERS customers (about 10 million lines, a few GB in memory),
`generate_chunks` draws the customers in chunks, each from its own seed spawned
from the run's seed, with ids continuing where the previous chunk's ended, so
100 million lines need no more memory than 10 million. Up to CHUNK_CUSTOMERS,
the output is exactly that of `generate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import duckdb
import numpy as np
import pyarrow as pa

from rfm_segmentation.errors import UserError

FileFormat = Literal["csv", "parquet"]
FORMATS: tuple[FileFormat, ...] = ("csv", "parquet")
PURCHASES_FILE = "purchases"
CUSTOMERS_FILE = "customers"

DEFAULT_END_DATE = dt.date(2025, 6, 30)
HISTORY_DAYS = 910  # about two and a half years of history
STORES = ("S01", "S02", "S03", "S04", "S05", "S06")
CATEGORIES = ("Apparel", "Footwear", "Home", "Beauty", "Electronics", "Grocery", "Toys")
CATEGORY_PRICE = np.array([45.0, 70.0, 55.0, 25.0, 180.0, 18.0, 30.0])
# City, region, and other spellings of the region seen in CRM exports.
CITIES = (
    ("Paris", "Ile-de-France", ("ILE-DE-FRANCE", "Île-de-France", "ile de france")),
    ("Lyon", "Auvergne-Rhone-Alpes", ("Auvergne-Rhône-Alpes", "AUVERGNE RHONE ALPES")),
    ("Marseille", "Provence-Alpes-Cote d'Azur", ("PACA", "Provence-Alpes-Côte d'Azur")),
    ("Lille", "Hauts-de-France", ("hauts-de-france", "Hauts de France")),
    ("Bordeaux", "Nouvelle-Aquitaine", ("nouvelle aquitaine",)),
    ("Nantes", "Pays de la Loire", ("PAYS DE LA LOIRE", "Pays-de-la-Loire")),
)
CITY_WEIGHTS = np.array([0.3, 0.2, 0.15, 0.12, 0.12, 0.11])


@dataclass(frozen=True)
class Archetype:
    share: float  # of customers
    orders: tuple[int, int]  # orders per customer, inclusive range
    active_days_before_end: tuple[int, int]  # window of activity: (earliest, latest) days before the end
    spend: float  # multiplier on line prices
    recent: bool = False  # always has an order in the last few weeks


ARCHETYPES: dict[str, Archetype] = {
    "one_off": Archetype(0.30, (1, 1), (HISTORY_DAYS, 0), 1.0),
    "new": Archetype(0.08, (1, 2), (45, 0), 1.0, recent=True),
    "loyal": Archetype(0.14, (10, 30), (HISTORY_DAYS, 0), 1.1, recent=True),
    "big_spender": Archetype(0.06, (6, 18), (HISTORY_DAYS, 0), 3.0, recent=True),
    "promising": Archetype(0.08, (2, 3), (120, 0), 1.0),
    "lapsing": Archetype(0.14, (3, 9), (HISTORY_DAYS, 150), 1.2),
    "churned": Archetype(0.14, (2, 5), (HISTORY_DAYS, 400), 1.0),
    "big_lost": Archetype(0.06, (8, 20), (HISTORY_DAYS, 250), 2.5),
}
# Demand by month (Jan..Dec) and weekday (Mon..Sun).
MONTH_WEIGHT = np.array([0.8, 0.75, 0.9, 0.95, 1.0, 0.95, 0.9, 0.95, 1.0, 1.1, 1.5, 1.9])
WEEKDAY_WEIGHT = np.array([0.8, 0.85, 0.9, 0.95, 1.1, 1.4, 0.7])


@dataclass(frozen=True)
class Blemishes:
    """Rates of the flaws real exports have. Zero everywhere gives clean data."""

    anonymous_sale: float = 0.01  # extra till lines with no customer id
    duplicate_line: float = 0.004  # exact copies of a line
    padded_text: float = 0.01  # stray spaces around ids and categories
    free_item: float = 0.003  # amount 0
    missing_amount: float = 0.0005
    returned_line: float = 0.02  # a line brought back within 30 days
    no_crm_record: float = 0.02  # buyers missing from the customers file
    crm_only_customer: float = 0.01  # CRM records of people who never bought
    odd_gender: float = 0.06  # 'female', ' m ', 'X', ...
    missing_gender: float = 0.02
    missing_birth_date: float = 0.03
    impossible_birth_date: float = 0.012  # before 1900, in the future, or 30 February
    odd_region: float = 0.05  # other spellings and casings of the region
    odd_city: float = 0.03
    missing_city: float = 0.01
    missing_home_store: float = 0.01


@dataclass(frozen=True)
class SampleData:
    purchases: pa.Table
    customers: pa.Table
    order_count: int = 0  # orders drawn (order numbers run 1..order_count, plus IdLayout.order_offset)


@dataclass(frozen=True)
class IdLayout:
    """Where a chunk's customer and order numbers start, and how wide ids are printed.

    The defaults are those of a single file: numbers from 1, widths from its own size.
    """

    customer_offset: int = 0
    order_offset: int = 0
    customer_width: int | None = None
    order_width: int | None = None


CHUNK_CUSTOMERS = 1_000_000


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def generate(
    customers: int,
    seed: int | np.random.SeedSequence,
    end_date: dt.date = DEFAULT_END_DATE,
    blemishes: Blemishes | None = None,
    progress: Progress = _quiet,
    ids: IdLayout = IdLayout(),
) -> SampleData:
    """Draw purchases and customers. About ten purchase lines per customer."""
    if customers < 1:
        raise UserError(f"--customers must be at least 1, got {customers}")
    blemishes = Blemishes() if blemishes is None else blemishes
    rng = np.random.default_rng(seed)
    names = list(ARCHETYPES)
    archetypes = [ARCHETYPES[name] for name in names]
    shares = np.array([a.share for a in archetypes])
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

    progress("drawing demographics")
    customer_table = _demographics(rng, customers, home_store, end_date, blemishes, ids)
    id_count = customers + _crm_only_count(customers, blemishes)
    return SampleData(purchases=_purchases_table(purchases, id_count, ids), customers=customer_table,
                      order_count=len(order_at))


def chunk_sizes(customers: int, chunk_customers: int = CHUNK_CUSTOMERS) -> list[int]:
    """Customers per chunk: full chunks, then the remainder."""
    if chunk_customers < 1:
        raise UserError(f"--chunk-customers must be at least 1, got {chunk_customers}")
    full, rest = divmod(customers, chunk_customers)
    return [chunk_customers] * full + ([rest] if rest else [])


def generate_chunks(
    customers: int,
    seed: int,
    chunk_customers: int = CHUNK_CUSTOMERS,
    end_date: dt.date = DEFAULT_END_DATE,
    blemishes: Blemishes | None = None,
    progress: Progress = _quiet,
) -> Iterator[SampleData]:
    """`generate` in chunks of at most chunk_customers, one at a time, so memory stays that of one chunk.

    Up to chunk_customers this is exactly `generate(customers, seed)`. Beyond,
    chunk i draws from SeedSequence(seed, spawn_key=(i,)), so a chunk does not
    depend on the total size; its customer and order numbers continue after
    the previous chunk's (CRM-only records included), and ids have one width
    for the whole run. Order numbers follow time within a chunk only.
    """
    if customers < 1:
        raise UserError(f"--customers must be at least 1, got {customers}")
    blemishes = Blemishes() if blemishes is None else blemishes
    sizes = chunk_sizes(customers, chunk_customers)
    if len(sizes) == 1:
        yield generate(customers, seed, end_date, blemishes, progress)
        return
    all_ids = sum(size + _crm_only_count(size, blemishes) for size in sizes)
    most_orders = customers * max(a.orders[1] for a in ARCHETYPES.values())
    ids = IdLayout(customer_width=_id_width(all_ids, 5), order_width=_id_width(most_orders, 7))
    for index, size in enumerate(sizes):
        progress(f"chunk {index + 1} of {len(sizes)}")
        chunk = generate(size, np.random.SeedSequence(seed, spawn_key=(index,)), end_date, blemishes, progress, ids)
        yield chunk
        ids = replace(ids, customer_offset=ids.customer_offset + size + _crm_only_count(size, blemishes),
                      order_offset=ids.order_offset + chunk.order_count)


def _crm_only_count(customers: int, blemishes: Blemishes) -> int:
    return int(round(customers * blemishes.crm_only_customer))


RETURN, ANONYMOUS = 1, 2
ORDER_PREFIX = {0: "O", RETURN: "R", ANONYMOUS: "A"}


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


def _id_width(count: int, minimum: int) -> int:
    return max(minimum, len(str(count)))


def _purchases_table(columns: dict[str, np.ndarray], id_count: int, ids: IdLayout) -> pa.Table:
    """Numeric columns to the text layout of a till export, sorted by time.

    id_count: customer ids in use, CRM-only records included, so that buyer ids
    have the same width as the CRM's.
    """
    columns = {**columns, "order_number": columns["order_number"] + ids.order_offset,
               "customer": np.where(columns["customer"] == 0, 0, columns["customer"] + ids.customer_offset)}
    arrays = {key: pa.array(values) for key, values in columns.items()}
    numeric = pa.table(arrays)
    customer_width = ids.customer_width or _id_width(id_count, 5)
    order_width = ids.order_width or _id_width(int(columns["order_number"].max(initial=0)), 7)
    stores = _sql_list(STORES)
    categories = _sql_list(CATEGORIES)
    prefixes = _sql_list([ORDER_PREFIX[k] for k in sorted(ORDER_PREFIX)])
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


def _demographics(rng: np.random.Generator, customers: int, home_store: np.ndarray, end_date: dt.date,
                  blemishes: Blemishes, ids: IdLayout) -> pa.Table:
    """One CRM record per customer, as entered: text with typos, gaps and other spellings."""
    crm_only = _crm_only_count(customers, blemishes)
    total = customers + crm_only
    number = np.arange(1, total + 1) + ids.customer_offset
    home_store = np.concatenate([home_store, rng.integers(0, len(STORES), crm_only)])
    city = rng.choice(len(CITIES), size=total, p=CITY_WEIGHTS)
    age_days = (rng.normal(42, 14, total).clip(16, 92) * 365.25).astype(np.int64)
    end_day = (end_date - dt.date(1970, 1, 1)).days
    gender = rng.choice(3, size=total, p=[0.52, 0.46, 0.02])
    # 0 as entered, 1 an odd spelling, 2 blank.
    gender_style = _flaws(rng, total, [blemishes.odd_gender, blemishes.missing_gender])
    # 0 fine, 1 blank, 2 before 1900, 3 in the future, 4 30 February.
    birth_flaw = _flaws(rng, total, [blemishes.missing_birth_date] + [blemishes.impossible_birth_date / 3] * 3)
    region_variant = np.where(rng.random(total) < blemishes.odd_region, 1 + rng.integers(0, 3, total), 0)
    city_style = _flaws(rng, total, [blemishes.odd_city, blemishes.missing_city])
    table = pa.table({
        "number": number,
        "keep": rng.random(total) >= np.r_[np.full(customers, blemishes.no_crm_record), np.zeros(crm_only)],
        "birth_day": end_day - age_days,
        "birth_flaw": birth_flaw,
        "future_days": rng.integers(30, 3000, total),
        "gender": gender,
        "gender_style": gender_style,
        "gender_variant": rng.integers(0, 4, total),
        "city": city,
        "city_style": city_style,
        "region_variant": region_variant,
        "signup_day": end_day - rng.integers(0, 1000, total),
        "home_store": home_store,
        "home_store_missing": rng.random(total) < blemishes.missing_home_store,
    })
    width = ids.customer_width or _id_width(total, 5)
    city_names = _sql_list([c[0] for c in CITIES])
    # Each region with its variants, padded to four spellings by repeating the canonical one.
    region_spellings = [[c[1], *(list(c[2]) * 3)][:4] for c in CITIES]
    regions = "[" + ", ".join(_sql_list(r) for r in region_spellings) + "]"
    genders = "[" + ", ".join(_sql_list(g) for g in (
        ("F", "female", " Female ", "f"), ("M", "male", "MALE", " m"), ("X", "x", "Other", "non-binary"))) + "]"
    with duckdb.connect() as con:
        con.register("crm", table)
        return con.sql(f"""
            with records as (
                select
                    'C' || lpad(number::varchar, {width}, '0') as customer_id,
                    case birth_flaw
                        when 0 then strftime(date '1970-01-01' + birth_day::integer, '%Y-%m-%d')
                        when 1 then null
                        when 2 then strftime(date '1970-01-01' + birth_day::integer - 36525, '%Y-%m-%d')
                        when 3 then strftime(date '{end_date.isoformat()}' + future_days::integer, '%Y-%m-%d')
                        else strftime(date '1970-01-01' + birth_day::integer, '%Y') || '-02-30'
                    end as birth_date,
                    case gender_style
                        when 0 then {genders}[gender + 1][1]
                        when 1 then {genders}[gender + 1][gender_variant + 1]
                    end as gender,
                    case city_style
                        when 0 then {city_names}[city + 1]
                        when 1 then upper({city_names}[city + 1]) || ' '
                    end as city,
                    {regions}[city + 1][region_variant + 1] as region,
                    'France' as country,
                    date '1970-01-01' + signup_day::integer as signup_date,
                    case when not home_store_missing then {_sql_list(STORES)}[home_store + 1] end as home_store_id
                from crm
                where keep
            )
            select * from records order by customer_id
        """).to_arrow_table()


def _flaws(rng: np.random.Generator, size: int, rates: list[float]) -> np.ndarray:
    """0 for clean values, else 1.. by the given rates, drawn independently of other columns."""
    draw = rng.random(size)
    return np.where(draw < sum(rates), np.searchsorted(np.cumsum(rates), draw, side="right") + 1, 0)


def _sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def write(data: SampleData, out_dir: Path, file_format: FileFormat = "parquet",
          names: tuple[str, str] = (PURCHASES_FILE, CUSTOMERS_FILE)) -> tuple[Path, Path]:
    """Write purchases and customers as `<name>.<format>` into out_dir; returns both paths."""
    if file_format not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, got {file_format!r}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create the output folder '{out_dir}': {error.strerror}") from error
    paths = []
    with duckdb.connect() as con:
        for name, table in zip(names, (data.purchases, data.customers), strict=True):
            path = out_dir / f"{name}.{file_format}"
            con.register("output", table)
            options = ("format csv, header true, timestampformat '%Y-%m-%d %H:%M:%S'" if file_format == "csv"
                       else "format parquet, compression zstd")
            tmp = path.with_name(f".{path.name}.tmp")
            try:
                con.execute(f"copy output to '{_sql_path(tmp)}' ({options})")
                tmp.replace(path)
            except (duckdb.IOException, OSError) as error:
                tmp.unlink(missing_ok=True)
                raise UserError(f"cannot write '{path}': {error}") from error
            con.unregister("output")
            paths.append(path)
    return paths[0], paths[1]


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def part_name(name: str, index: int) -> str:
    """File name (without extension) of chunk `index` of a chunked run."""
    return f"{name}-{index:05d}"


def write_chunks(chunks: Iterator[SampleData], chunk_count: int, out_dir: Path, file_format: FileFormat = "parquet",
                 names: tuple[str, str] = (PURCHASES_FILE, CUSTOMERS_FILE)) -> tuple[str, str]:
    """Write chunk i as `<name>-0000i.<format>`; returns the globs that read all of them.

    Parts left by an earlier, larger run are removed first: the glob would read them too.
    """
    if file_format not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, got {file_format!r}")
    if out_dir.is_dir():
        keep = {f"{part_name(name, i)}.{file_format}" for name in names for i in range(chunk_count)}
        for name in names:
            for stale in out_dir.glob(f"{name}-[0-9][0-9][0-9][0-9][0-9].{file_format}"):
                if stale.name not in keep:
                    stale.unlink()
    for index, chunk in enumerate(chunks):
        write(chunk, out_dir, file_format, names=(part_name(names[0], index), part_name(names[1], index)))
    return tuple(str(out_dir / f"{name}-*.{file_format}") for name in names)  # type: ignore[return-value]
