"""CRM records: one per customer as entered, with typos, gaps, other spellings and impossible dates."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pyarrow as pa

from rfm_segmentation.generator.settings import (
    CITIES,
    CITY_WEIGHTS,
    STORES,
    Blemishes,
    IdLayout,
    crm_only_count,
    id_width,
    sql_list,
)


def draw_customers(rng: np.random.Generator, customers: int, home_store: np.ndarray, end_date: dt.date,
                  blemishes: Blemishes, ids: IdLayout) -> pa.Table:
    """One CRM record per customer, as entered: text with typos, gaps and other spellings."""
    crm_only = crm_only_count(customers, blemishes)
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
    width = ids.customer_width or id_width(total, 5)
    city_names = sql_list([c[0] for c in CITIES])
    # Each region with its variants, padded to four spellings by repeating the canonical one.
    region_spellings = [[c[1], *(list(c[2]) * 3)][:4] for c in CITIES]
    regions = "[" + ", ".join(sql_list(r) for r in region_spellings) + "]"
    genders = "[" + ", ".join(sql_list(g) for g in (
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
                    case when not home_store_missing then {sql_list(STORES)}[home_store + 1] end as home_store_id
                from crm
                where keep
            )
            select * from records order by customer_id
        """).to_arrow_table()


def _flaws(rng: np.random.Generator, size: int, rates: list[float]) -> np.ndarray:
    """0 for clean values, else 1.. by the given rates, drawn independently of other columns."""
    draw = rng.random(size)
    return np.where(draw < sum(rates), np.searchsorted(np.cumsum(rates), draw, side="right") + 1, 0)
