"""dim_customers end to end: the sample, own files with and without demographics,
column mapping, and the switch that turns the Python model off."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.hand_data import write_csv
from helpers.workspace import Workspace

pytestmark = pytest.mark.integration

PURCHASES = [["A", "2025-06-01 10:00:00", "10.00"], ["B", "2025-06-10 10:00:00", "20.00"],
             ["C", "2025-06-20 10:00:00", "30.00"]]
PURCHASE_HEADER = ["customer_id", "purchased_at", "amount"]


def test_sample_keeps_every_customer_once(sample_build: Workspace) -> None:
    (customers, demographics, distinct, without, unknown_gender, flagged), = sample_build.query("""
        select (select count(*) from fct_customer_rfm), count(*), count(distinct customer_id),
               count(*) filter (not has_demographics), count(*) filter (gender = 'Unknown'),
               count(*) filter (demographic_issues is not null)
        from dim_customers""")
    assert customers == demographics == distinct
    assert without > 0 and unknown_gender >= without and flagged > 0
    assert sample_build.query("select count(*) from dim_customers where not has_demographics and "
                              "(region <> 'Unknown' or age_band <> 'Unknown' or birth_date is not null)") == [(0,)]
    labels = {row[0] for row in sample_build.query("select distinct region from dim_customers")}
    assert "Ile-de-France" in labels and "ILE-DE-FRANCE" not in labels and "PACA" not in labels


def test_ages_are_at_the_reference_date(sample_build: Workspace) -> None:
    rows = sample_build.query("""
        select d.birth_date, d.age_years, f.reference_date
        from dim_customers d join fct_customer_rfm f using (customer_id) where d.birth_date is not null""")
    assert rows
    for birth, age, reference in rows:
        had_birthday = (reference.month, reference.day) >= (birth.month, birth.day)
        assert age == reference.year - birth.year - (0 if had_birthday else 1)
        assert 0 <= age <= 110


def test_own_purchases_without_demographics_are_unknown_not_the_sample(workspace: Workspace) -> None:
    path = write_csv(workspace.root / "purchases.csv", PURCHASES, PURCHASE_HEADER)
    result = workspace.build({"purchases_path": str(path)})
    assert "every customer gets 'Unknown' demographics" in result.output
    assert workspace.query("select customer_id, has_demographics, gender, region, age_band from dim_customers "
                           "order by 1") == [(c, False, "Unknown", "Unknown", "Unknown") for c in "ABC"]


def test_own_customer_file_with_mapped_columns(workspace: Workspace) -> None:
    purchases = write_csv(workspace.root / "purchases.csv", PURCHASES, PURCHASE_HEADER)
    crm = write_csv(workspace.root / "crm.csv",
                    [["A", "29/02/2000", "f", "PACA"], [" B ", "30/02/1990", "M", "Provence-Alpes-Cote d'Azur"],
                     ["Z", "01/01/1980", "F", "x"]],
                    ["CustNo", "DOB", "Sex", "Area"])
    workspace.build({"purchases_path": str(purchases), "customers_path": str(crm), "customers_date_format": "%d/%m/%Y",
                     "customers_columns": {"customer_id": "CustNo", "birth_date": "DOB", "gender": "Sex",
                                           "region": "Area"}})
    rows = workspace.rows("dim_customers", "customer_id")
    assert [(r["customer_id"], r["birth_date"], r["age_years"], r["gender"], r["region"], r["has_demographics"],
             r["demographic_issues"], r["city"]) for r in rows] == [
        # Reference date: 2025-06-21, the day after the last purchase.
        ("A", dt.date(2000, 2, 29), 25, "Female", "Provence-Alpes-Cote d'Azur", True, None, "Unknown"),
        ("B", None, None, "Male", "Provence-Alpes-Cote d'Azur", True, "birth_date_unparseable", "Unknown"),
        ("C", None, None, "Unknown", "Unknown", False, None, "Unknown"),
    ]


def test_a_mapped_customer_column_that_does_not_exist_is_named(workspace: Workspace) -> None:
    purchases = write_csv(workspace.root / "purchases.csv", PURCHASES, PURCHASE_HEADER)
    crm = write_csv(workspace.root / "crm.csv", [["A", "1980-01-01"]], ["id", "birth_date"])
    result = workspace.dbt("build", variables={"purchases_path": str(purchases), "customers_path": str(crm),
                                               "customers_columns": {"customer_id": "CustNo"}})
    assert not result.ok
    assert ("Invalid var 'customers_columns': column 'CustNo' (for customer_id) is not in customers_path"
            in result.output)
    missing = workspace.dbt("build", variables={"purchases_path": str(purchases),
                                                "customers_path": str(workspace.root / "nope.csv")})
    assert not missing.ok and "Invalid var 'customers_path': no file matches" in missing.output


def test_demographics_can_be_switched_off(workspace: Workspace) -> None:
    result = workspace.build({"demographics_enabled": False})
    assert "Demographics: skipped (demographics_enabled is false)" in result.output
    assert not (workspace.published / "dim_customers.parquet").exists()
    assert (workspace.published / "fct_customer_rfm.parquet").exists()
