"""What the sample looks like: stores, categories, cities, customer behaviours, demand, blemish rates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

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


Progress = Callable[[str], None]


def quiet(_: str) -> None:
    pass


def id_width(count: int, minimum: int) -> int:
    return max(minimum, len(str(count)))


def crm_only_count(customers: int, blemishes: Blemishes) -> int:
    """CRM records of people who never bought, added after the buyers."""
    return int(round(customers * blemishes.crm_only_customer))


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"
