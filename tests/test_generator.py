"""The sample data generator: determinism, sizes, behaviours and blemishes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from helpers.workspace import PROJECT_DIR
from rfm_segmentation import generator
from rfm_segmentation.errors import UserError

pytestmark = pytest.mark.unit

RFM = Path(sys.executable).with_name("rfm")


@pytest.fixture(scope="module")
def sample() -> generator.SampleData:
    return generator.generate(customers=2000, seed=11)


def test_same_seed_same_data_other_seed_other_data(sample: generator.SampleData) -> None:
    again = generator.generate(customers=2000, seed=11)
    assert again.purchases.equals(sample.purchases) and again.customers.equals(sample.customers)
    assert not generator.generate(customers=2000, seed=12).purchases.equals(sample.purchases)


def test_files_are_byte_identical_across_runs(tmp_path: Path, sample: generator.SampleData) -> None:
    for file_format in generator.FORMATS:
        first = generator.write(sample, tmp_path / "a", file_format)
        second = generator.write(generator.generate(customers=2000, seed=11), tmp_path / "b", file_format)
        for left, right in zip(first, second, strict=True):
            assert left.read_bytes() == right.read_bytes(), left.name


def test_size_is_about_ten_lines_per_customer(sample: generator.SampleData) -> None:
    assert 8 * 2000 <= sample.purchases.num_rows <= 12 * 2000
    assert sample.purchases.column_names == [
        "order_id", "customer_id", "purchased_at", "store_id", "product_category", "quantity", "amount"]
    assert sample.customers.column_names == [
        "customer_id", "birth_date", "gender", "city", "region", "country", "signup_date", "home_store_id"]


def query(sample: generator.SampleData, sql: str) -> list[tuple]:
    purchases, customers = sample.purchases, sample.customers  # noqa: F841 (read by DuckDB by name)
    return duckdb.sql(sql).fetchall()


def test_history_stores_categories_and_seasonality(sample: generator.SampleData) -> None:
    (first, last, stores, categories), = query(sample, """
        select min(purchased_at), max(purchased_at), count(distinct store_id),
               count(distinct trim(product_category)) from purchases""")
    assert last.date() <= generator.DEFAULT_END_DATE + dt.timedelta(days=1)
    assert (last - first).days >= 800
    assert (stores, categories) == (len(generator.STORES), len(generator.CATEGORIES))
    by_month = dict(query(sample, "select month(purchased_at), count(*) from purchases group by 1"))
    assert by_month[12] > 1.5 * by_month[2], by_month  # the December peak
    by_weekday = dict(query(sample, "select isodow(purchased_at), count(*) from purchases group by 1"))
    assert by_weekday[6] > by_weekday[7] and by_weekday[6] > by_weekday[1], by_weekday


def test_customers_behave_differently(sample: generator.SampleData) -> None:
    (one_off, loyal, lapsed), = query(sample, """
        with per_customer as (
            select trim(customer_id) as customer_id, count(distinct order_id) as orders,
                   max(purchased_at) as last_at
            from purchases where customer_id is not null and amount > 0 group by 1
        )
        select count(*) filter (orders = 1), count(*) filter (orders >= 10),
               count(*) filter (last_at < date '2024-06-30')
        from per_customer""")
    assert one_off > 300 and loyal > 200 and lapsed > 200


def test_blemishes_at_small_rates(sample: generator.SampleData) -> None:
    total = sample.purchases.num_rows
    (anonymous, returns, padded, free, missing_amount, duplicates), = query(sample, """
        select count(*) filter (customer_id is null), count(*) filter (amount < 0),
               count(*) filter (customer_id <> trim(customer_id)), count(*) filter (amount = 0),
               count(*) filter (amount is null),
               count(*) - (select count(*) from (select distinct * from purchases))
        from purchases""")
    for count, rate in [(anonymous, 0.01), (returns, 0.02), (padded, 0.01), (free, 0.003), (duplicates, 0.004)]:
        assert 0.3 * rate * total <= count <= 2 * rate * total, (count, rate)
    # The data is seeded: the exact counts for seed 11 (a change to the
    # generator that moves them must update them here, on purpose).
    assert (total, anonymous, returns, padded, free, missing_amount, duplicates) == (
        19416, 191, 338, 193, 55, 8, 81)
    assert query(sample, "select count(*) from purchases where amount < 0 and not order_id like 'R%'") == [(0,)]


def test_demographics_blemishes(sample: generator.SampleData) -> None:
    rows = sample.customers.to_pylist()
    birth = [r["birth_date"] for r in rows]
    assert any(b is None for b in birth)
    assert any(b and b.endswith("-02-30") for b in birth)
    assert any(b and b < "1900" for b in birth)
    assert any(b and b > "2025-07-01" for b in birth)
    genders = {r["gender"] for r in rows}
    assert {"F", "M", "X", None} <= genders and len(genders) > 6  # odd casing and spacing too
    regions = {r["region"] for r in rows}
    assert "PACA" in regions or "ILE-DE-FRANCE" in regions
    ids = [r["customer_id"] for r in rows]
    assert len(ids) == len(set(ids))
    buyers = {r[0] for r in query(sample, "select distinct trim(customer_id) from purchases where customer_id <> ''")}
    assert buyers - set(ids), "some buyers have no CRM record"
    assert set(ids) - buyers, "some CRM records never bought"
    # Exact counts for seed 11: missing, 30 February, before 1900 and future
    # birth dates; missing and non-F/M genders; buyers without a CRM record
    # and CRM records that never bought.
    (missing_birth, february_30, before_1900, future, missing_gender, odd_gender), = query(sample, """
        select count(*) filter (birth_date is null), count(*) filter (birth_date like '%-02-30'),
               count(*) filter (birth_date < '1900'), count(*) filter (birth_date > '2025-07-01'),
               count(*) filter (gender is null), count(*) filter (gender not in ('F', 'M'))
        from customers""")
    assert (len(rows), missing_birth, february_30, before_1900, future, missing_gender, odd_gender) == (
        1978, 59, 4, 7, 8, 35, 128)
    assert (len(buyers - set(ids)), len(set(ids) - buyers)) == (42, 20)


def test_clean_data_without_blemishes() -> None:
    clean = generator.generate(customers=300, seed=3, blemishes=generator.Blemishes(
        **{name: 0.0 for name in generator.Blemishes.__dataclass_fields__}))
    purchases = clean.purchases.to_pylist()
    assert all(p["customer_id"] and p["amount"] is not None and p["amount"] > 0 for p in purchases)
    assert len({tuple(p.values()) for p in purchases}) == len(purchases)
    assert len(clean.customers) == 300


def test_committed_seeds_come_from_the_generator(tmp_path: Path) -> None:
    done = subprocess.run([str(RFM), "generate", "--customers", "3000", "--seed", "42", "--format", "csv",
                           "--out", str(tmp_path), "--purchases-name", "sample_purchases",
                           "--customers-name", "sample_customers"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for name in ("sample_purchases.csv", "sample_customers.csv"):
        assert (tmp_path / name).read_bytes() == (PROJECT_DIR / "seeds" / name).read_bytes(), name


def test_cli_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    for args, expected in [
        (["--customers", "0", "--out", str(tmp_path)], "--customers must be at least 1"),
        (["--customers", "10", "--out", str(blocked / "sub")], "cannot create the output folder"),
        (["--customers", "10", "--out", str(tmp_path), "--end-date", "yesterday"], "invalid fromisoformat value"),
    ]:
        done = subprocess.run([str(RFM), "generate", *args], capture_output=True, text=True, check=False)
        assert done.returncode != 0
        assert expected in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_generate_rejects_bad_arguments_as_user_errors(tmp_path: Path, sample: generator.SampleData) -> None:
    with pytest.raises(UserError, match="at least 1"):
        generator.generate(customers=-5, seed=1)
    with pytest.raises(UserError, match="--format"):
        generator.write(sample, tmp_path, "xlsx")  # type: ignore[arg-type]


def test_buyer_and_crm_ids_share_one_width_where_crm_only_records_add_a_digit() -> None:
    # 99,500 buyers + 995 CRM-only records need 6 digits, in both files.
    data = generator.generate(customers=99_500, seed=5)
    buyer_widths = {len(p["customer_id"].strip()) for p in data.purchases.to_pylist() if p["customer_id"]}
    crm_widths = {len(c["customer_id"]) for c in data.customers.to_pylist()}
    assert buyer_widths == crm_widths == {7}
