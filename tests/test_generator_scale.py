"""The generator at scale: customers drawn in chunks, one file per chunk.

Small chunk sizes stand in for the 1,000,000 customers of a real chunk.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from rfm_segmentation import generator

pytestmark = pytest.mark.unit

RFM = Path(sys.executable).with_name("rfm")


@pytest.fixture(scope="module")
def chunks() -> list[generator.SampleData]:
    return list(generator.generate_chunks(2500, seed=5, chunk_customers=1000))


def test_chunk_sizes() -> None:
    assert generator.chunk_sizes(2500, 1000) == [1000, 1000, 500]
    assert generator.chunk_sizes(2000, 1000) == [1000, 1000]
    assert generator.chunk_sizes(999, 1000) == [999]


def test_up_to_one_chunk_the_output_is_that_of_generate() -> None:
    whole = generator.generate(1000, seed=5)
    (only,) = generator.generate_chunks(1000, seed=5, chunk_customers=1000)
    assert only.purchases.equals(whole.purchases) and only.customers.equals(whole.customers)


def test_chunks_are_deterministic(chunks: list[generator.SampleData]) -> None:
    again = list(generator.generate_chunks(2500, seed=5, chunk_customers=1000))
    assert len(again) == len(chunks) == 3
    for left, right in zip(chunks, again, strict=True):
        assert left.purchases.equals(right.purchases) and left.customers.equals(right.customers)
    other_seed = next(generator.generate_chunks(2500, seed=6, chunk_customers=1000))
    assert not other_seed.purchases.equals(chunks[0].purchases)


def test_chunks_are_drawn_from_different_seeds(chunks: list[generator.SampleData]) -> None:
    # Same size, but not the same draws with shifted ids.
    amounts = [chunk.purchases.column("amount").to_pylist()[:50] for chunk in chunks[:2]]
    assert amounts[0] != amounts[1]


def test_a_chunk_does_not_depend_on_the_total_size(chunks: list[generator.SampleData]) -> None:
    first_of_two = next(generator.generate_chunks(2000, seed=5, chunk_customers=1000))
    assert first_of_two.purchases.equals(chunks[0].purchases)
    assert first_of_two.customers.equals(chunks[0].customers)


def _all(chunks: list[generator.SampleData], name: str) -> pa.Table:
    return pa.concat_tables([getattr(chunk, name) for chunk in chunks])


def test_no_id_repeats_across_chunks(chunks: list[generator.SampleData]) -> None:
    purchases, customers = _all(chunks, "purchases"), _all(chunks, "customers")  # noqa: F841 (read by DuckDB)
    (records, distinct_ids, widths), = duckdb.sql(
        "select count(*), count(distinct customer_id), count(distinct length(customer_id)) from customers").fetchall()
    assert records == distinct_ids and widths == 1
    # Every buyer's id is in the range of its own chunk: chunk i's customers are never chunk j's.
    for index, chunk in enumerate(chunks):
        ids = set(chunk.customers.column("customer_id").to_pylist())
        buyers = {c.strip() for c in chunk.purchases.column("customer_id").to_pylist() if c is not None}
        others = set().union(*(set(c.customers.column("customer_id").to_pylist())
                               for i, c in enumerate(chunks) if i != index))
        assert not buyers & others
        assert len(buyers - ids) <= 0.05 * len(buyers)  # only the buyers without a CRM record
    # An order (and its returns) lives in one chunk only, and ids have one width.
    order_sets = [{o[1:] for o in chunk.purchases.column("order_id").to_pylist()} for chunk in chunks]
    for i in range(len(order_sets)):
        for j in range(i + 1, len(order_sets)):
            assert not order_sets[i] & order_sets[j], (i, j)
    (order_widths,), = duckdb.sql("select count(distinct length(order_id)) from purchases").fetchall()
    assert order_widths == 1


def test_cli_writes_one_file_per_chunk_and_removes_stale_parts(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    (out / "purchases-00007.parquet").write_bytes(b"left by a larger run")
    (out / "purchases.parquet").write_bytes(b"a single-file run: not ours to remove")
    done = subprocess.run([str(RFM), "generate", "--customers", "2500", "--seed", "5", "--out", str(out),
                           "--chunk-customers", "1000"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "customers-00000.parquet", "customers-00001.parquet", "customers-00002.parquet",
        "purchases-00000.parquet", "purchases-00001.parquet", "purchases-00002.parquet", "purchases.parquet"]
    assert "purchases-*.parquet" in done.stdout
    expected = generator.generate_chunks(2500, seed=5, chunk_customers=1000)
    (rows,), = duckdb.sql(f"select count(*) from read_parquet('{out}/purchases-*.parquet')").fetchall()
    assert rows == sum(chunk.purchases.num_rows for chunk in expected)
