"""The benchmark's pandas and bare-SQL contenders compute the same RFM as dbt.

One dbt build on a hand-made Parquet file that holds every case the
definitions care about, then both contenders on the same file; and the
equality check itself is shown to catch a difference.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bench import contenders, verify

from helpers.workspace import Workspace

T = dt.datetime
# order_id, customer_id, purchased_at, amount; store, category and quantity are constant unless given.
ROWS: list[tuple[str | None, str | None, dt.datetime | None, str | None]] = [
    # Two orders, one with two lines at the same time, and a return netted.
    ("O1", "C01", T(2025, 6, 30, 10), "10.00"), ("O1", "C01", T(2025, 6, 30, 10), "5.50"),
    ("O2", "C01", T(2025, 5, 1, 9), "20.00"), ("R1", "C01", T(2025, 6, 30, 12), "-5.50"),
    # An exact duplicate, and a copy that differs only by spaces (NBSP and a space): both merged.
    ("O3", "C02", T(2025, 1, 2, 10), "30.00"), ("O3", "C02", T(2025, 1, 2, 10), "30.00"),
    ("O3", "\u00a0C02 ", T(2025, 1, 2, 10), "30.00"),
    ("O4", "C02x", T(2025, 1, 3, 10), "31.00"),
    # Only a return: rejected (return_without_purchase), no customer.
    ("R2", "C03", T(2025, 2, 1, 10), "-12.00"),
    # Bought and returned everything: not scored.
    ("O5", "C04", T(2025, 3, 1, 10), "40.00"), ("R3", "C04", T(2025, 3, 5, 10), "-40.00"),
    # No customer: rejected.
    ("O6", None, T(2025, 3, 1, 10), "1.00"), ("O7", "", T(2025, 3, 1, 10), "2.00"),
    ("O8", " N/A ", T(2025, 3, 1, 10), "3.00"), ("O9", "Guest", T(2025, 3, 1, 10), "4.00"),
    # A line without amount, one dated 1899, one without date: rejected; the other lines count.
    ("O10", "C05", T(2025, 4, 1, 10), None), ("O11", "C05", T(2024, 4, 1, 10), "7.00"),
    ("O12", "C06", T(1899, 12, 31, 10), "500.00"), ("O13", "C06", T(2024, 7, 1, 10), "8.00"),
    ("O14", "C07", None, "600.00"), ("O15", "C07", T(2024, 8, 1, 10), "9.00"),
    # No order id: lines sharing a timestamp are one order.
    (None, "C08", T(2025, 2, 2, 10), "3.00"), (None, "C08", T(2025, 2, 2, 10), "4.00"),
    (None, "C08", T(2025, 2, 3, 10), "5.00"), ("", "C08", T(2025, 2, 4, 10), "6.00"),
    # A return on the reference date is kept; one after it is rejected.
    ("O16", "C09", T(2025, 6, 1, 10), "50.00"), ("R4", "C09", T(2025, 7, 1, 10), "-10.00"),
    ("R5", "C09", T(2025, 7, 2, 10), "-20.00"),
    # A free item only: one order, no net spend.
    ("O17", "C10", T(2025, 5, 5, 10), "0.00"),
    # Ids differ by case.
    ("O18", "c11", T(2025, 5, 6, 10), "11.00"), ("O19", "C11", T(2025, 5, 6, 10), "11.00"),
    # Cents.
    ("O20", "C12", T(2025, 5, 7, 10), "0.01"), ("O21", "C12", T(2025, 5, 8, 10), "0.02"),
] + [
    # Ties on every measure: NTILE splits them by customer_id.
    (f"T{i:02d}", f"C{i:02d}", T(2025, 4, 4, 10), "25.00") for i in range(20, 33)
]


def write_purchases(path: Path) -> Path:
    table = pa.table({
        "order_id": pa.array([r[0] for r in ROWS], pa.string()),
        "customer_id": pa.array([r[1] for r in ROWS], pa.string()),
        "purchased_at": pa.array([r[2] for r in ROWS], pa.timestamp("us")),
        "store_id": pa.array(["S01"] * len(ROWS), pa.string()),
        "product_category": pa.array([" Home "] * len(ROWS), pa.string()),
        "quantity": pa.array([1] * len(ROWS), pa.int32()),
        "amount": pa.array([None if r[3] is None else Decimal(r[3]) for r in ROWS], pa.decimal128(18, 2)),
    })
    pq.write_table(table, path)
    return path


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("contenders")
    purchases = write_purchases(root / "purchases.parquet")
    built = Workspace(root / "dbt")
    built.build({"purchases_path": str(purchases)})
    pandas_out, sql_out = root / "pandas.parquet", root / "sql.parquet"
    contenders.write_pandas_result(contenders.pandas_rfm([str(purchases)]), pandas_out)
    contenders.duckdb_rfm(str(purchases), sql_out)
    return {"dbt": built.published / "fct_customer_rfm.parquet", "pandas": pandas_out, "sql": sql_out}


@pytest.mark.integration
def test_pandas_and_sql_match_dbt_on_every_customer(outputs: dict[str, Path]) -> None:
    found = verify.compare(outputs["dbt"], {"pandas": outputs["pandas"], "sql": outputs["sql"]})
    assert found["same"], found
    assert found["customers"] == {"dbt": 26, "pandas": 26, "sql": 26}
    # Every customer is in the sample here, boundaries included.
    assert found["sample_customers"] == 26 and found["boundary_customers"] > 0


@pytest.mark.integration
def test_the_cases_come_out_as_defined(outputs: dict[str, Path]) -> None:
    rows = {r[0]: r[1:] for r in duckdb.sql(
        f"select customer_id, order_count, monetary_cents, is_scored, recency_days "
        f"from read_parquet('{outputs['pandas']}')").fetchall()}
    assert rows["C01"] == (2, 3000, True, 1)
    assert rows["C02"][:2] == (1, 3000)
    assert "C03" not in rows and rows["C04"][1:3] == (0, False)
    assert rows["C08"][0] == 3 and rows["C09"][1] == 4000 and rows["C10"][:3] == (1, 0, False)
    assert rows["C12"][1] == 3 and "c11" in rows and "C11" in rows


@pytest.mark.integration
def test_the_check_catches_a_difference(outputs: dict[str, Path], tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.parquet"
    duckdb.sql(f"""
        copy (
            select * replace (case when customer_id = 'C25' then frequency_score % 5 + 1 else frequency_score end
                              as frequency_score)
            from read_parquet('{outputs['sql']}') where customer_id != 'C30'
        ) to '{tampered}' (format parquet)""")
    found = verify.compare(outputs["dbt"], {"tampered": tampered})
    assert not found["same"]
    differences = found["contenders"]["tampered"]["all_differences"]
    assert differences["frequency_score"] == 2  # C25 changed, C30 missing
    assert differences["recency_days"] == 1  # only the missing C30
    assert {e["customer_id"] for e in found["contenders"]["tampered"]["examples"]} == {"C25", "C30"}


@pytest.mark.unit
@pytest.mark.parametrize("bins", [2, 3, 5, 10])
def test_ntile_formula_matches_duckdb(bins: int) -> None:
    for count in range(0, 27):
        expected = [r[0] for r in duckdb.sql(
            f"select ntile({bins}) over (order by i) from range({count}) t(i) order by i").fetchall()]
        assert contenders.ntile(np.arange(count), count, bins).tolist() == expected, count


@pytest.mark.unit
def test_trim_characters_are_duckdbs() -> None:
    # DuckDB's trim() removes the Unicode space separators only: not tabs or newlines.
    characters = [chr(c) for c in range(1, 0x3100) if not 0xD800 <= c <= 0xDFFF]
    trimmed = duckdb.execute("select list_transform($1, lambda c: trim(c || 'a' || c) = 'a')",
                             [characters]).fetchall()[0][0]
    assert {c for c, gone in zip(characters, trimmed, strict=True) if gone} == set(contenders.DUCKDB_TRIM)
