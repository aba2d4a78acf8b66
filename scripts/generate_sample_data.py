"""Generate the committed sample seeds (purchases and customer demographics).

Stop-gap until the package generator lands: a small, seeded, vectorised script
so that `seeds/` can be rebuilt byte for byte:

    python scripts/generate_sample_data.py --customers 3000 --seed 42 --out seeds
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

END = pd.Timestamp("2025-06-30 20:00:00")
START = pd.Timestamp("2023-01-01 08:00:00")
STORES = ["S01", "S02", "S03", "S04", "S05", "S06"]
CATEGORIES = ["Apparel", "Footwear", "Home", "Beauty", "Electronics", "Grocery", "Toys"]
CATEGORY_PRICE = np.array([45.0, 70.0, 55.0, 25.0, 180.0, 18.0, 30.0])
# Share of customers, orders per customer (low, high), window of activity in
# days before END (first, last), spend multiplier.
ARCHETYPES = {
    "one_off": (0.30, (1, 1), (900, 0), 1.0),
    "new": (0.08, (1, 2), (45, 0), 1.0),
    "loyal": (0.14, (10, 30), (900, 0), 1.1),
    "big_spender": (0.06, (6, 18), (900, 0), 3.0),
    "promising": (0.08, (2, 3), (120, 0), 1.0),
    "lapsing": (0.14, (3, 9), (900, 150), 1.2),
    "churned": (0.14, (2, 5), (900, 400), 1.0),
    "big_lost": (0.06, (8, 20), (900, 250), 2.5),
}
# Monthly demand weights (Jan..Dec): a November-December peak.
SEASONALITY = np.array([0.8, 0.75, 0.9, 0.95, 1.0, 0.95, 0.9, 0.95, 1.0, 1.1, 1.5, 1.9])


def _seasonal_days(rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Draw day offsets (days before END) in [last, first], thinned by month seasonality."""
    span = first - last
    out = np.empty(len(first), dtype=np.int64)
    todo = np.arange(len(first))
    while len(todo):
        days = last[todo] + (rng.random(len(todo)) * (span[todo] + 1)).astype(np.int64)
        months = (END - pd.to_timedelta(days, unit="D")).month.to_numpy() - 1
        keep = rng.random(len(todo)) < SEASONALITY[months] / SEASONALITY.max()
        out[todo[keep]] = days[keep]
        todo = todo[~keep]
    return out


def generate(customers: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    names = list(ARCHETYPES)
    weights = np.array([ARCHETYPES[n][0] for n in names])
    archetype = rng.choice(len(names), size=customers, p=weights / weights.sum())
    customer_ids = np.array([f"C{i:05d}" for i in range(1, customers + 1)])

    lo = np.array([ARCHETYPES[n][1][0] for n in names])[archetype]
    hi = np.array([ARCHETYPES[n][1][1] for n in names])[archetype]
    orders_per_customer = rng.integers(lo, hi + 1)
    first = np.array([ARCHETYPES[n][2][0] for n in names])[archetype]
    last = np.array([ARCHETYPES[n][2][1] for n in names])[archetype]
    spend = np.array([ARCHETYPES[n][3] for n in names])[archetype]
    # A customer is active over a personal window inside the archetype's window.
    total_days = (END - START).days
    first = np.minimum(first, total_days)
    own_first = last + ((first - last) * rng.uniform(0.4, 1.0, customers)).astype(np.int64)

    order_customer = np.repeat(np.arange(customers), orders_per_customer)
    days_before_end = _seasonal_days(rng, own_first[order_customer], last[order_customer])
    # Recent archetypes always have one order close to the end.
    recent = np.isin(archetype, [names.index(n) for n in ("loyal", "big_spender", "new")])
    first_order_index = np.r_[0, np.cumsum(orders_per_customer)[:-1]]
    forced = first_order_index[recent]
    days_before_end[forced] = (rng.random(len(forced)) * 25).astype(np.int64)

    seconds = rng.integers(9 * 3600, 21 * 3600, len(order_customer))
    ordered_at = (END.normalize() - pd.to_timedelta(days_before_end, unit="D")
                  + pd.to_timedelta(seconds, unit="s"))
    store_home = rng.integers(0, len(STORES), customers)
    other_store = rng.random(len(order_customer)) < 0.15
    order_store = np.where(other_store, rng.integers(0, len(STORES), len(order_customer)),
                           store_home[order_customer])
    orders = pd.DataFrame({
        "order_index": np.arange(len(order_customer)),
        "customer": order_customer,
        "purchased_at": ordered_at,
        "store_id": np.array(STORES)[order_store],
    }).sort_values(["purchased_at", "order_index"], kind="stable").reset_index(drop=True)
    orders["order_id"] = [f"O{i:07d}" for i in range(1, len(orders) + 1)]

    lines_per_order = rng.choice([1, 2, 3], size=len(orders), p=[0.6, 0.3, 0.1])
    lines = orders.loc[orders.index.repeat(lines_per_order)].reset_index(drop=True)
    category = rng.integers(0, len(CATEGORIES), len(lines))
    quantity = rng.choice([1, 1, 1, 2, 2, 3], size=len(lines))
    unit = CATEGORY_PRICE[category] * rng.lognormal(0.0, 0.35, len(lines)) * spend[lines["customer"]]
    lines["product_category"] = np.array(CATEGORIES)[category]
    lines["quantity"] = quantity
    lines["amount"] = np.round(unit * quantity, 2)
    lines["customer_id"] = customer_ids[lines["customer"]]

    # Returns: a few lines come back within 30 days as negative lines of a
    # return order.
    returned = lines[rng.random(len(lines)) < 0.02].copy()
    returned["purchased_at"] = returned["purchased_at"] + pd.to_timedelta(
        rng.integers(1, 30, len(returned)), unit="D")
    returned = returned[returned["purchased_at"] < END]
    returned["order_id"] = "R" + returned["order_id"].str[1:]
    returned["amount"] = -returned["amount"]
    returned["quantity"] = -returned["quantity"]

    # Blemishes of a real POS export: anonymous sales, stray spaces, free
    # items, exact duplicate rows.
    anonymous = lines.sample(frac=0.01, random_state=seed).copy()
    anonymous["customer_id"] = ""
    anonymous["order_id"] = "A" + anonymous["order_id"].str[1:]
    purchases = pd.concat([lines, returned, anonymous], ignore_index=True)
    spaced = rng.random(len(purchases)) < 0.01
    purchases.loc[spaced, "product_category"] = " " + purchases.loc[spaced, "product_category"] + " "
    free = rng.random(len(purchases)) < 0.003
    purchases.loc[free, "amount"] = 0.0
    duplicates = purchases.sample(frac=0.004, random_state=seed + 1)
    purchases = pd.concat([purchases, duplicates], ignore_index=True)
    purchases = purchases.sort_values(["purchased_at", "order_id", "product_category", "amount"],
                                      kind="stable").reset_index(drop=True)
    purchases["purchased_at"] = purchases["purchased_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    purchases = purchases[["order_id", "customer_id", "purchased_at", "store_id",
                           "product_category", "quantity", "amount"]]

    customers_df = _demographics(rng, customer_ids, store_home)
    return purchases, customers_df


def _demographics(rng: np.random.Generator, customer_ids: np.ndarray,
                  store_home: np.ndarray) -> pd.DataFrame:
    n = len(customer_ids)
    cities = [("Lyon", "Auvergne-Rhone-Alpes"), ("Paris", "Ile-de-France"),
              ("Marseille", "Provence-Alpes-Cote d'Azur"), ("Lille", "Hauts-de-France"),
              ("Bordeaux", "Nouvelle-Aquitaine"), ("Nantes", "Pays de la Loire")]
    city = rng.integers(0, len(cities), n)
    age_days = (rng.normal(42, 14, n).clip(16, 92) * 365.25).astype(np.int64)
    birth = (END.normalize() - pd.to_timedelta(age_days, unit="D")).strftime("%Y-%m-%d").to_numpy(dtype=object)
    gender = rng.choice(["F", "M", "X"], size=n, p=[0.52, 0.46, 0.02]).astype(object)
    signup = (END.normalize() - pd.to_timedelta(rng.integers(0, 1000, n), unit="D")).strftime("%Y-%m-%d")
    df = pd.DataFrame({
        "customer_id": customer_ids,
        "birth_date": birth,
        "gender": gender,
        "city": [cities[i][0] for i in city],
        "region": [cities[i][1] for i in city],
        "country": "France",
        "signup_date": signup,
        "home_store_id": np.array(STORES)[store_home],
    })
    # Blemishes: odd casing, missing values, impossible birth dates.
    odd = rng.random(n) < 0.05
    df.loc[odd, "gender"] = df.loc[odd, "gender"].map({"F": "female", "M": " male", "X": "x"})
    df.loc[rng.random(n) < 0.03, "birth_date"] = ""
    df.loc[rng.random(n) < 0.004, "birth_date"] = "1888-01-01"
    df.loc[rng.random(n) < 0.004, "birth_date"] = "2031-05-17"
    df.loc[rng.random(n) < 0.02, "gender"] = ""
    df.loc[rng.random(n) < 0.02, "city"] = df["city"].str.upper()
    return df


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=Path("seeds"))
    args = parser.parse_args()
    purchases, customers = generate(args.customers, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    purchases.to_csv(args.out / "sample_purchases.csv", index=False, lineterminator="\n")
    customers.to_csv(args.out / "sample_customers.csv", index=False, lineterminator="\n")
    print(f"wrote {len(purchases)} purchases and {len(customers)} customers to {args.out}")


if __name__ == "__main__":
    main()
