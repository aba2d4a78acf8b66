"""Cleaning CRM demographics and joining them onto every scored customer.

Plain, vectorised pandas functions, called by the dbt Python model
`int_customer_demographics` and tested on their own. In dbt, the join of the
customers onto their records is SQL (`int_customer_demographic_records`) and
`clean_customer_records` does the rest, once per distinct value of each
column; `build_customer_dimension` does both from plain inputs (the same
join in Arrow). Nothing is dropped:
customers without a CRM record get explicit 'Unknown' labels, and values that
cannot be true (a birth date in the future, 30 February, an age of 150) become
null with a flag in `demographic_issues` saying why.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

UNKNOWN = "Unknown"
MAX_PLAUSIBLE_AGE = 110
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

# (upper bound exclusive, label); the last band is open-ended. Sort order is the position.
AGE_BANDS: tuple[tuple[int | None, str], ...] = (
    (18, "Under 18"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64"), (None, "65+"),
)
AGE_BAND_LABELS: tuple[str, ...] = (*(label for _, label in AGE_BANDS), UNKNOWN)

GENDER_LABELS: dict[str, str] = {
    **dict.fromkeys(["f", "female", "woman", "w", "femme"], "Female"),
    **dict.fromkeys(["m", "male", "man", "homme"], "Male"),
    **dict.fromkeys(["x", "other", "non binary", "nonbinary", "nb", "diverse"], "Other"),
    # Entered on purpose as "not known": Unknown without a flag.
    **dict.fromkeys(["u", "unknown", "prefer not to say", "not specified", "n a", "na", "none", "null"], UNKNOWN),
}

# The columns of the demographics input (stg_customers), all text.
INPUT_COLUMNS = ("customer_id", "birth_date", "gender", "city", "region", "country", "signup_date", "home_store_id")

# The output, in the order and types of the dim_customers contract.
OUTPUT_SCHEMA = pa.schema([
    ("customer_id", pa.string()),
    ("has_demographics", pa.bool_()),
    ("birth_date", pa.date32()),
    ("age_years", pa.int32()),
    ("age_band", pa.string()),
    ("age_band_sort_order", pa.int32()),
    ("gender", pa.string()),
    ("city", pa.string()),
    ("region", pa.string()),
    ("country", pa.string()),
    ("signup_date", pa.date32()),
    ("home_store_id", pa.string()),
    ("demographic_issues", pa.string()),
])

# Flags, in the order they are listed in demographic_issues.
ISSUES = (
    "duplicate_customer_record",
    "birth_date_unparseable",
    "birth_date_in_future",
    "birth_date_implausible",
    "gender_unrecognised",
    "signup_date_unparseable",
)


def clean_text(values: pd.Series) -> pd.Series:
    """Trim, collapse inner whitespace; blanks become missing."""
    return _per_distinct(values, lambda text: text.str.strip().str.replace(r"\s+", " ", regex=True))


def trim_text(values: pd.Series) -> pd.Series:
    """Trim spaces only, as SQL trim() does for the purchases (a tab stays part of an id); blanks become missing."""
    return _per_distinct(values, lambda text: text.str.strip(" "))


def _per_distinct(values: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a text transform once per distinct value: CRM columns repeat a few values a million times."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    cleaned = transform(pd.Series(uniques, dtype="string"))
    cleaned = cleaned.mask(cleaned == "")
    return pd.Series(cleaned.array.take(codes, allow_fill=True), index=values.index, dtype="string")


def parse_dates(values: pd.Series, date_format: str = DEFAULT_DATE_FORMAT) -> pd.Series:
    """Text to dates (datetime64 at midnight); text that is not a real date becomes NaT.

    A time part after an ISO date ('1985-03-02 00:00:00') is ignored, so that
    dates exported as timestamps still parse.
    """
    text = trim_text(values)
    if date_format == DEFAULT_DATE_FORMAT:
        text = text.str.slice(0, 10)
    # Seconds resolution keeps years before 1677 (typos such as 0985) representable.
    return pd.to_datetime(text, format=date_format, errors="coerce").astype("datetime64[s]")


def age_in_years(birth: pd.Series, reference: dt.date) -> pd.Series:
    """Whole years between birth and the reference date.

    The birthday has not come yet while (month, day) of the reference is before
    that of the birth, so someone born on 29 February turns a year older on
    1 March in common years.
    """
    ref_month_day = reference.month * 100 + reference.day
    birth_month_day = birth.dt.month * 100 + birth.dt.day
    years = reference.year - birth.dt.year - (ref_month_day < birth_month_day).astype("Int64")
    return years.astype("Int64")


def age_band(age: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Age band label and its sort order (1 = youngest); missing ages are 'Unknown', last."""
    bounds = [upper for upper, _ in AGE_BANDS if upper is not None]
    position = np.searchsorted(np.array(bounds), age.fillna(-1).to_numpy(dtype=np.int64), side="right")
    missing = age.isna().to_numpy()
    order = np.where(missing, len(AGE_BANDS), position) + 1
    labels = np.array(AGE_BAND_LABELS, dtype=object)[order - 1]
    return pd.Series(labels, index=age.index, dtype="string"), pd.Series(order, index=age.index, dtype="Int32")


def normalise_gender(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Gender label (Female, Male, Other, Unknown) and whether the entry was not recognised."""
    key = _fold(clean_text(values))
    label = key.map(GENDER_LABELS).astype("string")
    unrecognised = label.isna() & key.notna()
    return label.fillna(UNKNOWN), unrecognised


def normalise_labels(values: pd.Series, aliases: Mapping[str, str] | None = None) -> pd.Series:
    """One spelling per place name: variants that differ only in case, accents,
    spaces or punctuation ('ILE-DE-FRANCE', 'ile de france', 'Île-de-France')
    take the spelling most often used in the data (ties: mixed case first, then
    alphabetical), so the same input always gives the same labels. `aliases`
    maps other names ('PACA') to a label. Missing values are 'Unknown'.
    """
    codes, distinct = pd.factorize(values.astype("string"), use_na_sentinel=True)
    uses = np.bincount(codes[codes >= 0], minlength=len(distinct))
    labels = _canonical_labels(pd.Series(distinct, dtype="string"), uses, aliases)
    return pd.Series(labels.array.take(codes, allow_fill=True), index=values.index, dtype="string").fillna(UNKNOWN)


def _canonical_labels(distinct: pd.Series, uses: np.ndarray, aliases: Mapping[str, str] | None) -> pd.Series:
    """normalise_labels on distinct values, each used `uses` times; one label per value."""
    text = clean_text(distinct)
    if aliases:
        folded_aliases = {_fold_one(alias): label for alias, label in aliases.items()}
        replaced = _fold(text).map(folded_aliases)
        text = replaced.fillna(text).astype("string")
    key = _fold(text)
    spellings = (pd.DataFrame({"key": key, "text": text, "uses": uses}).dropna(subset=["key", "text"])
                 .groupby(["key", "text"], as_index=False)["uses"].sum())
    spellings["mixed_case"] = (spellings["text"] != spellings["text"].str.upper()) & (
        spellings["text"] != spellings["text"].str.lower())
    spellings = spellings.sort_values(["key", "uses", "mixed_case", "text"], ascending=[True, False, False, True])
    canonical = spellings.drop_duplicates("key").set_index("key")["text"]
    return key.map(canonical).astype("string").fillna(UNKNOWN)


def _fold_one(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", plain.casefold()).strip()


def _fold(values: pd.Series) -> pd.Series:
    """Comparison key: no accents, case-folded, punctuation and spaces as one space."""
    unique = values.dropna().unique()
    folded = {value: _fold_one(value) for value in unique}
    return values.map(folded).astype("string").mask(lambda s: s == "")


def build_customer_dimension(
    crm: pd.DataFrame | pa.Table,
    customers: pd.Series | pa.Array | pa.ChunkedArray,
    reference_date: dt.date,
    date_format: str = DEFAULT_DATE_FORMAT,
    region_aliases: Mapping[str, str] | None = None,
) -> pa.Table:
    """One row per customer in `customers` with cleaned demographics from `crm`.

    `crm` has the text columns INPUT_COLUMNS (extra columns are ignored). A
    customer listed twice keeps the record with the latest signup date (then
    the first in text order) and is flagged.

    The join runs in Arrow (join_customer_records), the cleaning in
    clean_customer_records.
    """
    return clean_customer_records(join_customer_records(crm, customers), reference_date, date_format,
                                  region_aliases)


# The table clean_customer_records reads (the columns of int_customer_demographic_records).
RECORD_COLUMNS = ("customer_id", "has_record", "is_duplicated", *INPUT_COLUMNS[1:])


def join_customer_records(crm: pd.DataFrame | pa.Table,
                          customers: pd.Series | pa.Array | pa.ChunkedArray) -> pa.Table:
    """Each customer next to their CRM record(s), as the SQL model int_customer_demographic_records does."""
    records = _records(crm)
    if not isinstance(customers, (pa.Array, pa.ChunkedArray)):
        customers = pa.array(customers, type=pa.string(), from_pandas=True)
    scored = pa.table({"customer_id": pc.unique(_trimmed(customers.cast(pa.string())))})
    joined = scored.join(records, "customer_id", join_type="left outer")
    duplicated = pc.is_in(joined["customer_id"], value_set=_duplicated_ids(records["customer_id"]))
    return pa.table({
        "customer_id": joined["customer_id"],
        "has_record": pc.fill_null(joined["_has_record"], False),
        "is_duplicated": duplicated,
        **{name: joined[name] for name in INPUT_COLUMNS[1:]},
    })


def clean_customer_records(
    records: pa.Table,
    reference_date: dt.date,
    date_format: str = DEFAULT_DATE_FORMAT,
    region_aliases: Mapping[str, str] | None = None,
) -> pa.Table:
    """The customer dimension from each customer's CRM record(s) (RECORD_COLUMNS, text as entered).

    Every cleaning function runs once per distinct value of its column (a
    million customers share some 30,000 birth dates and a few dozen genders
    and places) and its results are taken back per row. A customer listed
    more than once (is_duplicated, one row per record) keeps the record with
    the latest signup date, then the first in text order, and is flagged.
    """
    missing = [c for c in RECORD_COLUMNS if c not in records.column_names]
    if missing:
        raise ValueError(f"the customer records lack the columns {', '.join(missing)}")
    joined = _one_record_per_customer(records.select(list(RECORD_COLUMNS)), date_format)
    joined = joined.sort_by("customer_id").combine_chunks()
    has_record = joined["has_record"].to_numpy(zero_copy_only=False).astype(bool)
    duplicated = joined["is_duplicated"].to_numpy(zero_copy_only=False).astype(bool)

    birth = _distinct_values(joined["birth_date"])
    birth_facts = _birth_facts(birth.values, reference_date, date_format)
    gender = _distinct_values(joined["gender"])
    gender_labels, gender_unrecognised = normalise_gender(gender.values)
    signup = _distinct_values(joined["signup_date"])
    signup_text = trim_text(signup.values)
    signup_dates = parse_dates(signup_text, date_format)
    store = _distinct_values(joined["home_store_id"])

    flags = {
        "duplicate_customer_record": duplicated,
        "birth_date_unparseable": birth.take(birth_facts["unparseable"], False),
        "birth_date_in_future": birth.take(birth_facts["in_future"], False),
        "birth_date_implausible": birth.take(birth_facts["implausible"], False),
        "gender_unrecognised": gender.take(gender_unrecognised, False),
        "signup_date_unparseable": signup.take(signup_text.notna() & signup_dates.isna(), False),
    }
    columns = {
        "customer_id": joined["customer_id"],
        "has_demographics": pa.array(has_record),
        "birth_date": birth.take_arrow(birth_facts["birth_date"], pa.date32()),
        "age_years": birth.take_arrow(birth_facts["age_years"], pa.int32()),
        "age_band": birth.take_arrow(birth_facts["age_band"], pa.string(), UNKNOWN),
        "age_band_sort_order": birth.take_arrow(birth_facts["age_band_sort_order"], pa.int32(),
                                                len(AGE_BAND_LABELS)),
        "gender": gender.take_arrow(gender_labels, pa.string(), UNKNOWN),
        "city": _labels(joined["city"]),
        "region": _labels(joined["region"], region_aliases),
        "country": _labels(joined["country"]),
        "signup_date": signup.take_arrow(signup_dates, pa.date32()),
        "home_store_id": store.take_arrow(clean_text(store.values).fillna(UNKNOWN), pa.string(), UNKNOWN),
        "demographic_issues": _issues(flags),
    }
    return pa.Table.from_arrays([columns[field.name] for field in OUTPUT_SCHEMA], schema=OUTPUT_SCHEMA)


def relation_as_arrow(relation: object) -> pa.Table:
    """A DuckDB relation's rows as an Arrow table: `to_arrow_table` from duckdb 2.0 on (where
    `fetch_arrow_table` is a deprecated alias), `fetch_arrow_table` before."""
    fetch = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table  # type: ignore[attr-defined]
    return fetch()


def _trimmed(ids: pa.ChunkedArray) -> pa.ChunkedArray:
    """As trim_text: spaces trimmed (like SQL trim()), blanks null."""
    trimmed = pc.utf8_trim(ids, characters=" ")
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _records(crm: pd.DataFrame | pa.Table) -> pa.Table:
    """The CRM records as text columns in INPUT_COLUMNS order, trimmed ids, rows without an id dropped."""
    names = crm.column_names if isinstance(crm, pa.Table) else list(crm.columns)
    missing = [c for c in INPUT_COLUMNS if c not in names]
    if missing:
        raise ValueError(f"the demographics input lacks the columns {', '.join(missing)}")
    if isinstance(crm, pa.Table):
        table = crm.select(list(INPUT_COLUMNS))
    else:
        table = pa.Table.from_pandas(crm.loc[:, list(INPUT_COLUMNS)].astype("string"), preserve_index=False)
    table = pa.table({name: table[name].cast(pa.string()) for name in INPUT_COLUMNS})
    table = table.set_column(0, "customer_id", _trimmed(table["customer_id"]))
    table = table.filter(pc.is_valid(table["customer_id"]))
    return table.append_column("_has_record", pa.chunked_array([pa.array([True] * len(table), pa.bool_())]))


def _duplicated_ids(ids: pa.ChunkedArray) -> pa.Array:
    counts = pa.table({"customer_id": ids}).group_by("customer_id").aggregate([([], "count_all")])
    return counts.filter(pc.greater(counts["count_all"], 1))["customer_id"].combine_chunks()


def _one_record_per_customer(records: pa.Table, date_format: str) -> pa.Table:
    """A customer listed twice keeps the record with the latest signup date, then the first in text order."""
    is_duplicated = pc.fill_null(records["is_duplicated"], False)
    repeated = records.filter(is_duplicated)
    if len(repeated) == 0:
        return records
    text_columns = [name for name in RECORD_COLUMNS if name not in ("has_record", "is_duplicated")]
    repeated = repeated.to_pandas(types_mapper=pd.ArrowDtype).astype(dict.fromkeys(text_columns, "string"))
    signup = parse_dates(repeated["signup_date"], date_format)
    kept = repeated.assign(_signup=signup).sort_values(
        ["customer_id", "_signup", *INPUT_COLUMNS[1:]], ascending=[True, False, *[True] * 7], na_position="last",
        kind="stable").drop_duplicates("customer_id", keep="first").drop(columns="_signup")
    kept_table = pa.Table.from_pandas(kept, schema=records.schema, preserve_index=False)
    return pa.concat_tables([records.filter(pc.invert(is_duplicated)), kept_table])


@dataclass(frozen=True)
class _Distinct:
    """A column as its distinct values (a pandas Series) and, per row, the position of its value (−1: null)."""

    values: pd.Series
    codes: np.ndarray

    def take(self, per_value: pd.Series, missing: object) -> np.ndarray:
        """Per row, from one result per distinct value; `missing` for null rows."""
        extended = np.append(per_value.to_numpy(dtype=object, na_value=None), missing)
        return extended[self.codes]

    def take_arrow(self, per_value: pd.Series, arrow_type: pa.DataType, missing: object = None) -> pa.Array:
        dictionary = pa.array(per_value, from_pandas=True).cast(arrow_type)
        dictionary = pa.concat_arrays([dictionary, pa.array([missing], arrow_type)])
        return dictionary.take(pa.array(self.codes))


def _distinct_values(column: pa.ChunkedArray | pa.Array) -> _Distinct:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(column.cast(pa.string()))
    codes = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy(zero_copy_only=False)
    return _Distinct(pd.Series(encoded.dictionary.to_pylist(), dtype="string"), codes.astype(np.int64))


def _birth_facts(birth_values: pd.Series, reference_date: dt.date, date_format: str) -> dict[str, pd.Series]:
    """Per distinct birth date text: the date, age, band and the flags for impossible values."""
    birth_text = trim_text(birth_values)
    birth = parse_dates(birth_text, date_format)
    reference = pd.Timestamp(reference_date)
    unparseable = birth_text.notna() & birth.isna()
    in_future = birth > reference
    age = age_in_years(birth, reference_date)
    implausible = ~in_future & (age > MAX_PLAUSIBLE_AGE).fillna(False)
    birth = birth.mask(in_future | implausible)
    age = age.mask(in_future | implausible)
    band, band_order = age_band(age)
    return {"unparseable": unparseable.fillna(False), "in_future": in_future.fillna(False),
            "implausible": implausible.fillna(False), "birth_date": birth, "age_years": age,
            "age_band": band, "age_band_sort_order": band_order}


def _labels(column: pa.ChunkedArray, aliases: Mapping[str, str] | None = None) -> pa.Array:
    """normalise_labels per distinct value, with each value counted as often as it is used."""
    distinct = _distinct_values(column)
    uses = np.bincount(distinct.codes, minlength=len(distinct.values) + 1)[:-1]
    labels = _canonical_labels(distinct.values, uses, aliases)
    return distinct.take_arrow(labels, pa.string(), UNKNOWN)


def _issues(flags: Mapping[str, np.ndarray]) -> pa.Array:
    """The flags of each row as 'name;name' in ISSUES order, null without any."""
    bits = np.zeros(len(next(iter(flags.values()))), dtype=np.int64)
    for position, name in enumerate(ISSUES):
        bits |= np.asarray(flags[name], dtype=bool).astype(np.int64) << position
    texts = [";".join(name for position, name in enumerate(ISSUES) if combination >> position & 1) or None
             for combination in range(1 << len(ISSUES))]
    return pa.array(texts, pa.string()).take(pa.array(bits))
