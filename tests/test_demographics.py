"""Demographic cleaning: exact values on small hand-made inputs."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rfm_segmentation.demographics import (
    INPUT_COLUMNS,
    OUTPUT_SCHEMA,
    age_band,
    age_in_years,
    build_customer_dimension,
    normalise_gender,
    normalise_labels,
    parse_dates,
)

pytestmark = pytest.mark.unit

REFERENCE = dt.date(2025, 7, 1)


def dates(*values: str | None) -> pd.Series:
    return parse_dates(pd.Series(values, dtype="string"))


@pytest.mark.parametrize(("birth", "reference", "expected"), [
    ("2000-02-29", dt.date(2025, 2, 28), 24),  # leap-day birth: not yet in a common year
    ("2000-02-29", dt.date(2025, 3, 1), 25),
    ("2000-02-29", dt.date(2024, 2, 29), 24),  # its own day in a leap year
    ("2000-02-29", dt.date(2024, 2, 28), 23),
    ("1990-07-01", dt.date(2025, 7, 1), 35),  # birthday today
    ("1990-07-02", dt.date(2025, 7, 1), 34),  # tomorrow
    ("1990-12-31", dt.date(2025, 1, 1), 34),
])
def test_age_in_whole_years(birth: str, reference: dt.date, expected: int) -> None:
    assert age_in_years(dates(birth), reference).tolist() == [expected]


def test_dates_that_are_not_real_dates_are_missing() -> None:
    parsed = dates("1985-02-30", "1985-13-01", "yesterday", "", None,
                   " 1985-02-28 ", "1985-02-28 00:00:00", "0985-01-01")
    assert parsed.isna().tolist() == [True, True, True, True, True, False, False, False]
    assert parsed.iloc[7].year == 985  # a typo, but representable: the age check flags it
    assert parse_dates(pd.Series(["28/02/1985"]), "%d/%m/%Y").dt.date.tolist() == [dt.date(1985, 2, 28)]


def test_age_bands_edges_and_unknown() -> None:
    ages = pd.Series([0, 17, 18, 24, 25, 34, 35, 64, 65, 110, None], dtype="Int64")
    labels, order = age_band(ages)
    assert labels.tolist() == ["Under 18", "Under 18", "18-24", "18-24", "25-34", "25-34", "35-44", "55-64",
                               "65+", "65+", "Unknown"]
    assert order.tolist() == [1, 1, 2, 2, 3, 3, 4, 6, 7, 7, 8]


def test_gender_casing_spacing_and_unrecognised() -> None:
    labels, unrecognised = normalise_gender(pd.Series(
        ["F", " female ", "FEMALE", "m", "Male", " MAN", "x", "Non-Binary", "", None, "prefer not to say", "cat"],
        dtype="string"))
    assert labels.tolist() == ["Female", "Female", "Female", "Male", "Male", "Male", "Other", "Other",
                               "Unknown", "Unknown", "Unknown", "Unknown"]
    assert unrecognised.tolist() == [False] * 11 + [True]


def test_place_labels_take_the_most_used_spelling() -> None:
    regions = pd.Series(["Ile-de-France", "ILE-DE-FRANCE", "Île-de-France", "ile de france", "Ile-de-France",
                         "PACA", "  Hauts de France", "HAUTS-DE-FRANCE", None, ""], dtype="string")
    labels = normalise_labels(regions, aliases={"paca": "Provence-Alpes-Cote d'Azur"})
    assert labels.tolist() == ["Ile-de-France"] * 5 + ["Provence-Alpes-Cote d'Azur"] + ["Hauts de France"] * 2 + [
        "Unknown", "Unknown"]


def test_place_labels_tie_prefers_mixed_case_then_alphabetical() -> None:
    labels = normalise_labels(pd.Series(["LYON", "Lyon", "lyon", "Saint-Étienne", "Saint-Etienne"], dtype="string"))
    assert labels.tolist() == ["Lyon", "Lyon", "Lyon", "Saint-Etienne", "Saint-Etienne"]


def crm_frame(rows: list[dict[str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame([{column: row.get(column) for column in INPUT_COLUMNS} for row in rows], dtype="string")


def test_dimension_keeps_every_customer_and_flags_impossible_values() -> None:
    crm = crm_frame([
        {"customer_id": "C1", "birth_date": "1990-07-02", "gender": " f", "city": "LYON ", "region": "ARA",
         "country": "France", "signup_date": "2024-01-05", "home_store_id": " S01 "},
        {"customer_id": " C2 ", "birth_date": "2031-05-17", "gender": "alien", "signup_date": "soon"},
        {"customer_id": "C3", "birth_date": "1888-01-01"},
        {"customer_id": "C4", "birth_date": "1985-02-30", "gender": "M", "signup_date": "2020-01-01"},
        {"customer_id": "C4", "birth_date": "1986-03-01", "gender": "F", "signup_date": "2023-01-01"},
        {"customer_id": "C9", "birth_date": "1970-01-01"},  # in the CRM but never bought: not in the output
        {"customer_id": None, "birth_date": "1970-01-01"},
    ])
    table = build_customer_dimension(crm, pd.Series(["C5", "C4", "C3", "C2", "C1"]), REFERENCE,
                                     region_aliases={"ARA": "Auvergne-Rhone-Alpes"})
    assert table.schema == OUTPUT_SCHEMA
    rows = {row["customer_id"]: row for row in table.to_pylist()}
    assert list(rows) == ["C1", "C2", "C3", "C4", "C5"]
    assert rows["C1"] == {
        "customer_id": "C1", "has_demographics": True, "birth_date": dt.date(1990, 7, 2), "age_years": 34,
        "age_band": "25-34", "age_band_sort_order": 3, "gender": "Female", "city": "LYON",
        "region": "Auvergne-Rhone-Alpes", "country": "France", "signup_date": dt.date(2024, 1, 5),
        "home_store_id": "S01", "demographic_issues": None}
    assert rows["C2"]["birth_date"] is None and rows["C2"]["age_band"] == "Unknown"
    assert rows["C2"]["gender"] == "Unknown" and rows["C2"]["signup_date"] is None
    assert rows["C2"]["demographic_issues"] == "birth_date_in_future;gender_unrecognised;signup_date_unparseable"
    assert (rows["C3"]["birth_date"], rows["C3"]["demographic_issues"]) == (None, "birth_date_implausible")
    # The later signup wins among duplicates, and the duplicate is flagged.
    assert (rows["C4"]["birth_date"], rows["C4"]["gender"]) == (dt.date(1986, 3, 1), "Female")
    assert rows["C4"]["demographic_issues"] == "duplicate_customer_record"
    assert rows["C5"] == {
        "customer_id": "C5", "has_demographics": False, "birth_date": None, "age_years": None,
        "age_band": "Unknown", "age_band_sort_order": 8, "gender": "Unknown", "city": "Unknown",
        "region": "Unknown", "country": "Unknown", "signup_date": None, "home_store_id": "Unknown",
        "demographic_issues": None}


def test_dimension_does_not_depend_on_row_order() -> None:
    crm = crm_frame([{"customer_id": f"C{i}", "birth_date": f"19{50 + i}-0{1 + i % 9}-1{i % 10}",
                      "gender": ["F", "m", "X", ""][i % 4], "region": ["IDF", "Ile de France", "ILE-DE-FRANCE"][i % 3]}
                     for i in range(40)] + [{"customer_id": "C7", "birth_date": "1999-09-09"}])
    customers = pd.Series([f"C{i}" for i in range(45)])
    first = build_customer_dimension(crm, customers, REFERENCE)
    shuffled = build_customer_dimension(crm.sample(frac=1, random_state=1), customers.sample(frac=1, random_state=2),
                                        REFERENCE)
    assert first.equals(shuffled)


def test_missing_input_column_is_named() -> None:
    with pytest.raises(ValueError, match="gender"):
        build_customer_dimension(pd.DataFrame({"customer_id": ["C1"]}), pd.Series(["C1"]), REFERENCE)


def test_ids_are_trimmed_like_sql_trim() -> None:
    # SQL trim() removes spaces only: a tab stays part of the id, as in the purchases.
    from rfm_segmentation.demographics import trim_text
    assert trim_text(pd.Series(["  C1 ", "\tC1", ""], dtype="string")).tolist() == ["C1", "\tC1", pd.NA]
