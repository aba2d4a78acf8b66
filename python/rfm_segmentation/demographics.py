"""Cleaning CRM demographics and joining them onto every scored customer.

Plain, vectorised pandas functions, called by the dbt Python model
`int_customer_demographics` and tested on their own. Nothing is dropped:
customers without a CRM record get explicit 'Unknown' labels, and values that
cannot be true (a birth date in the future, 30 February, an age of 150) become
null with a flag in `demographic_issues` saying why.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

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
    text = clean_text(values)
    if aliases:
        folded_aliases = {_fold_one(alias): label for alias, label in aliases.items()}
        replaced = _fold(text).map(folded_aliases)
        text = replaced.fillna(text).astype("string")
    key = _fold(text)
    spellings = pd.DataFrame({"key": key, "text": text}).dropna().value_counts().reset_index(name="uses")
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
    crm: pd.DataFrame,
    customers: pd.Series,
    reference_date: dt.date,
    date_format: str = DEFAULT_DATE_FORMAT,
    region_aliases: Mapping[str, str] | None = None,
) -> pa.Table:
    """One row per customer in `customers` with cleaned demographics from `crm`.

    `crm` has the text columns INPUT_COLUMNS (extra columns are ignored). A
    customer listed twice keeps the record with the latest signup date (then
    the first in text order) and is flagged.
    """
    missing = [c for c in INPUT_COLUMNS if c not in crm.columns]
    if missing:
        raise ValueError(f"the demographics input lacks the columns {', '.join(missing)}")
    records = crm.loc[:, list(INPUT_COLUMNS)].astype("string")
    records["customer_id"] = trim_text(records["customer_id"])
    records = records.dropna(subset=["customer_id"])
    signup = parse_dates(records["signup_date"], date_format)
    records = records.assign(_signup=signup).sort_values(
        ["customer_id", "_signup", *INPUT_COLUMNS[1:]], ascending=[True, False, *[True] * 7], na_position="last",
        kind="stable")
    duplicated = records["customer_id"].duplicated(keep=False)
    records = records.assign(_duplicated=duplicated).drop_duplicates("customer_id", keep="first")

    scored = pd.DataFrame({"customer_id": trim_text(customers)}).drop_duplicates()
    joined = scored.merge(records, on="customer_id", how="left", indicator=True, validate="one_to_one")
    joined = joined.sort_values("customer_id", kind="stable").reset_index(drop=True)
    has_record = joined["_merge"] == "both"

    birth_text = trim_text(joined["birth_date"])
    birth = parse_dates(birth_text, date_format)
    reference = pd.Timestamp(reference_date)
    unparseable = birth_text.notna() & birth.isna()
    in_future = birth > reference
    age = age_in_years(birth, reference_date)
    implausible = ~in_future & (age > MAX_PLAUSIBLE_AGE).fillna(False)
    birth = birth.mask(in_future | implausible)
    age = age.mask(in_future | implausible)
    band, band_order = age_band(age)
    gender, gender_unrecognised = normalise_gender(joined["gender"])
    signup_text = trim_text(joined["signup_date"])
    signup = parse_dates(signup_text, date_format)

    flags = {
        "duplicate_customer_record": joined["_duplicated"].fillna(False).astype(bool),
        "birth_date_unparseable": unparseable,
        "birth_date_in_future": in_future,
        "birth_date_implausible": implausible,
        "gender_unrecognised": gender_unrecognised,
        "signup_date_unparseable": signup_text.notna() & signup.isna(),
    }
    issues = pd.Series("", index=joined.index, dtype="string")
    for name in ISSUES:
        flagged = flags[name].fillna(False).to_numpy(dtype=bool)
        issues[flagged] = issues[flagged] + ";" + name
    issues = issues.str.lstrip(";").mask(issues == "")

    columns = {
        "customer_id": joined["customer_id"],
        "has_demographics": has_record,
        "birth_date": birth,
        "age_years": age,
        "age_band": band,
        "age_band_sort_order": band_order,
        "gender": gender,
        "city": normalise_labels(joined["city"]),
        "region": normalise_labels(joined["region"], region_aliases),
        "country": normalise_labels(joined["country"]),
        "signup_date": signup,
        "home_store_id": clean_text(joined["home_store_id"]).fillna(UNKNOWN),
        "demographic_issues": issues,
    }
    # Dates arrive as datetime64 at midnight; Arrow casts them to plain dates.
    arrays = [pa.array(columns[field.name], from_pandas=True).cast(field.type) for field in OUTPUT_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=OUTPUT_SCHEMA)
