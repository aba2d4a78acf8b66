"""The same purchases give byte-identical exports, whatever the row order, the
number of runs or the database session's time zone."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from helpers.hand_data import ACCEPTED_ROWS, MAPPING, REFERENCE, write_csv
from helpers.workspace import PROJECT_DIR, Workspace

pytestmark = pytest.mark.integration

SAMPLE_CSV = PROJECT_DIR / "seeds" / "sample_purchases.csv"


def shuffled_copy(source: Path, target: Path, seed: int) -> Path:
    header, *rows = source.read_text().splitlines(keepends=True)
    random.Random(seed).shuffle(rows)
    target.write_text(header + "".join(rows))
    return target


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    built = Workspace(tmp_path_factory.mktemp("baseline"))
    built.build({"purchases_path": str(SAMPLE_CSV)})
    return built


def test_shuffled_input_gives_identical_exports(baseline, workspace) -> None:
    shuffled = shuffled_copy(SAMPLE_CSV, workspace.root / "shuffled.csv", seed=7)
    assert shuffled.read_text() != SAMPLE_CSV.read_text()
    workspace.build({"purchases_path": str(shuffled)})
    assert workspace.export_bytes() == baseline.export_bytes()
    assert workspace.manifest()["tables"] == baseline.manifest()["tables"]


def test_second_run_gives_identical_exports(baseline) -> None:
    before, first_run = baseline.export_bytes(), baseline.manifest()["dbt_invocation_id"]
    baseline.build({"purchases_path": str(SAMPLE_CSV)})
    assert baseline.manifest()["dbt_invocation_id"] != first_run  # the files were published again
    assert baseline.export_bytes() == before


def session_profile(folder: Path, time_zone: str, threads: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profiles.yml").write_text(f"""
rfm_segmentation:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{{{ env_var('RFM_DUCKDB_PATH') }}}}"
      threads: {threads}
      settings:
        TimeZone: "{time_zone}"
        threads: {threads}
      plugins:
        - module: rfm_segmentation.dbt_plugin
""")
    return folder


def test_session_time_zone_and_threads_do_not_change_results(tmp_path: Path) -> None:
    """Offsets in the input are converted to the business time zone, not the session's."""
    path = write_csv(tmp_path / "purchases.csv", ACCEPTED_ROWS)
    variables = {"purchases_path": str(path), **REFERENCE, **MAPPING, "business_time_zone": "Asia/Tokyo"}
    results = []
    for index, (zone, threads) in enumerate([("Pacific/Kiritimati", 1), ("America/Anchorage", 4)]):
        built = Workspace(tmp_path / f"run{index}")
        built.build(variables, profiles_dir=session_profile(tmp_path / f"profile{index}", zone, threads))
        results.append(built)
    assert results[0].export_bytes() == results[1].export_bytes()
    # 2024-03-22 23:30 at UTC-2 is 2024-03-23 10:30 in Tokyo.
    assert results[0].query("select cast(purchased_at as varchar) from fct_purchases where order_id = 'INV-C3'"
                            ) == [("2024-03-23 10:30:00",)]


def test_parquet_input_with_time_zone_aware_timestamps(tmp_path: Path) -> None:
    """A Parquet file typed by its writer (TIMESTAMPTZ, DECIMAL) gives the CSV's results."""
    import duckdb

    csv_path = write_csv(tmp_path / "purchases.csv", ACCEPTED_ROWS)
    parquet_path = tmp_path / "purchases.parquet"
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'America/New_York'")
        connection.execute(f"""
            copy (
                select InvoiceNo, CustomerID,
                       case when InvoiceDate like '%T%' then cast(InvoiceDate as timestamptz)
                            else cast(InvoiceDate || '+00:00' as timestamptz) end as InvoiceDate,
                       cast(Amount as decimal(12, 2)) as Amount, cast(Qty as integer) as Qty, Store, Category
                from read_csv('{csv_path}', all_varchar = true)
            ) to '{parquet_path}' (format parquet)""")
    from_csv, from_parquet = Workspace(tmp_path / "csv"), Workspace(tmp_path / "parquet")
    from_csv.build({"purchases_path": str(csv_path), **REFERENCE, **MAPPING})
    from_parquet.build({"purchases_path": str(parquet_path), **REFERENCE, **MAPPING})
    assert from_parquet.export_bytes()["fct_customer_rfm"] == from_csv.export_bytes()["fct_customer_rfm"]
    assert from_parquet.query("select cast(purchased_at as varchar) from fct_purchases where order_id = 'INV-C3'"
                              ) == [("2024-03-23 01:30:00",)]
