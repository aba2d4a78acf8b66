"""The same models on PostgreSQL and Apache Spark as on DuckDB, proven on the
real engines: `dbt build` on the sample on each target, then every mart
compared row by row with DuckDB's.

PostgreSQL runs as a throw-away server (tests/engines.py); Spark runs inside
one dbt process (dbt-spark `method: session`), started once, and its tables
are read from the Parquet files it wrote. Decimals are compared after
rounding to 2 places, every other value exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest

from helpers.engines import POSTGRES_DATABASE, PostgresServer, SparkPaths, java_missing_reason, skip_or_fail
from helpers.hand_data import ACCEPTED_ROWS, DUPLICATE_ROWS, HEADER, MAPPING, REFERENCE, REJECTED_ROWS, write_csv
from helpers.workspace import PROJECT_DIR, DbtResult, Workspace

pytestmark = pytest.mark.engines

SCHEMA = "rfm"  # the profile's default schema on postgres and spark
# Every mart, with its key. fct_customer_rfm and rpt_segment_summary are the
# ones Power BI's report is built on; the others must agree all the same. The
# whole-number keys Power BI relates on (customer_key, segment_key,
# grid_cell_key) are columns like the others: equal on every engine.
MARTS = {
    "fct_customer_rfm": ["customer_id"],
    "rpt_segment_summary": ["segment"],
    "fct_purchases": ["purchase_key"],
    "fct_purchases_rejected": ["purchase_key"],
    "rpt_purchases_reconciliation": ["outcome", "reason"],
    "dim_segments": ["segment"],
    "dim_dates": ["date_day"],
    "rpt_rfm_grid": ["recency_grid_score", "fm_grid_score"],
    "dim_rfm_grid_cells": ["grid_cell_key"],
    "dim_rfm_value_pairs": ["measure_x", "measure_y"],
    "rpt_segment_history": ["period_end_date", "segment"],
    "rpt_segment_transitions": ["pair_type", "from_period_end_date", "to_period_end_date", "from_segment",
                                "to_segment"],
}
Row = dict[str, Any]


def normalise(value: Any) -> Any:
    """Decimals to 2 places (half up); instants as naive UTC; the rest as is."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def sorted_rows(names: list[str], rows: list[tuple[Any, ...]], key: list[str]) -> list[Row]:
    records = [{name: normalise(value) for name, value in zip(names, row, strict=True)} for row in rows]
    return sorted(records, key=lambda record: tuple(str(record[column]) for column in key))


def assert_same_rows(expected: list[Row], got: list[Row], table: str, engine: str) -> None:
    """Row by row; the message shows the first differing rows, column by column."""
    assert len(got) == len(expected), f"{table} on {engine}: {len(got)} rows, DuckDB has {len(expected)}"
    assert not expected or list(got[0]) == list(expected[0]), (
        f"{table} on {engine}: columns {list(got[0])} differ from DuckDB's {list(expected[0])}")
    differences = []
    for duck_row, engine_row in zip(expected, got, strict=True):
        changed = {name: (value, engine_row[name]) for name, value in duck_row.items() if engine_row[name] != value}
        if changed:
            first_column = next(iter(duck_row))
            differences.append({first_column: duck_row[first_column], **changed})
    assert not differences, (f"{table} on {engine}: {len(differences)} of {len(expected)} rows differ from DuckDB's "
                             f"(column: (duckdb, {engine})): {differences[:5]}")


def duckdb_rows(workspace: Workspace, table: str) -> list[Row]:
    with duckdb.connect() as connection:
        relation = connection.sql(f"select * from read_parquet('{workspace.published / (table + '.parquet')}')")
        return sorted_rows(relation.columns, relation.fetchall(), MARTS[table])


@dataclass
class EngineBuild:
    """A finished `dbt build` on one engine, and how to read its tables."""

    engine: str
    result: DbtResult
    read: Callable[[str], tuple[list[str], list[tuple[Any, ...]]]]

    def rows(self, table: str) -> list[Row]:
        names, rows = self.read(table)
        return sorted_rows(names, rows, MARTS[table])


def postgres_connection(server: PostgresServer, database: str = POSTGRES_DATABASE) -> Any:
    connection = psycopg2.connect(host=server.host, port=server.port, user=server.user, dbname=database)
    connection.autocommit = True
    return closing(connection)


def postgres_reader(server: PostgresServer, database: str = POSTGRES_DATABASE,
                    schema: str = SCHEMA) -> Callable[[str], tuple[list[str], list[tuple[Any, ...]]]]:
    def read(table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        with postgres_connection(server, database) as connection, connection.cursor() as cursor:
            cursor.execute(f"select * from {schema}.{table}")
            return [column.name for column in cursor.description], cursor.fetchall()
    return read


def postgres_relation_exists(server: PostgresServer, table: str) -> bool:
    with postgres_connection(server) as connection, connection.cursor() as cursor:
        cursor.execute("select to_regclass(%s) is not null", (f"{SCHEMA}.{table}",))
        return bool(cursor.fetchone()[0])


@pytest.fixture(scope="module")
def postgres_build(postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> EngineBuild:
    """`dbt build` of the sample (seeds included) on the postgres target."""
    workspace = Workspace(tmp_path_factory.mktemp("postgres"))
    result = workspace.dbt("build", env=postgres_server.env())
    assert result.ok, f"dbt build on PostgreSQL failed:\n{result.output[-6000:]}"
    return EngineBuild("postgres", result, postgres_reader(postgres_server))


@pytest.fixture(scope="module")
def spark_paths(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkPaths]:
    reason = java_missing_reason()
    if reason:
        skip_or_fail(f"Spark tests skipped: {reason}")
    yield SparkPaths(tmp_path_factory.mktemp("spark"))


@pytest.fixture(scope="module")
def spark_build(spark_paths: SparkPaths, tmp_path_factory: pytest.TempPathFactory) -> EngineBuild:
    """One `dbt build` (seeds included) on the spark target: one dbt process, one Spark JVM."""
    workspace = Workspace(tmp_path_factory.mktemp("spark-dbt"))
    result = workspace.dbt("build", env=spark_paths.env())
    assert result.ok, f"dbt build on Spark failed:\n{result.output[-6000:]}"

    def read(table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        folder = spark_paths.table_files(SCHEMA, table)
        assert any(folder.glob("*.parquet")), f"Spark wrote no Parquet files for {table} in {folder}"
        with duckdb.connect() as connection:
            relation = connection.sql(f"select * from read_parquet('{folder}/*.parquet')")
            return relation.columns, relation.fetchall()

    return EngineBuild("spark", result, read)


@pytest.mark.parametrize("table", list(MARTS))
def test_postgres_marts_equal_duckdb(sample_build: Workspace, postgres_build: EngineBuild, table: str) -> None:
    assert_same_rows(duckdb_rows(sample_build, table), postgres_build.rows(table), table, "postgres")


@pytest.mark.parametrize("table", list(MARTS))
def test_spark_marts_equal_duckdb(sample_build: Workspace, spark_build: EngineBuild, table: str) -> None:
    assert_same_rows(duckdb_rows(sample_build, table), spark_build.rows(table), table, "spark")


@pytest.mark.engines
@pytest.mark.parametrize("engine", ["postgres", "spark"])
def test_history_equals_duckdb_and_its_last_period_fct_customer_rfm(request: pytest.FixtureRequest,
                                                                      sample_build: Workspace, engine: str) -> None:
    """fct_customer_rfm_history (not exported: read from each database) equals
    DuckDB's row by row, and its latest period end (the sample's reference
    date starts a month) is that engine's own fct_customer_rfm."""
    build: EngineBuild = request.getfixturevalue(f"{engine}_build")
    key = ["period_end_date", "customer_id"]
    with duckdb.connect(str(sample_build.database), read_only=True) as connection:
        relation = connection.sql("select * from fct_customer_rfm_history")
        expected = sorted_rows(relation.columns, relation.fetchall(), key)
    got = sorted_rows(*build.read("fct_customer_rfm_history"), key)
    assert_same_rows(expected, got, "fct_customer_rfm_history", engine)

    last_end = max(row["period_end_date"] for row in got)
    compared = ["customer_id", "recency_days", "order_count", "monetary_amount", "is_scored", "recency_score",
                "frequency_score", "monetary_score", "fm_score", "rfm_score", "rfm_cell", "segment"]
    latest = [{name: row[name] for name in compared} for row in got if row["period_end_date"] == last_end]
    current = [{name: row[name] for name in compared} for row in build.rows("fct_customer_rfm")]
    assert len(current) == 3000
    assert latest == current


def test_comparison_catches_a_difference(sample_build: Workspace) -> None:
    """The comparison is not vacuous: one score off by one in one row fails it."""
    expected = duckdb_rows(sample_build, "fct_customer_rfm")
    changed = [dict(row) for row in expected]
    changed[len(changed) // 2]["monetary_score"] = (changed[len(changed) // 2]["monetary_score"] or 0) + 1
    with pytest.raises(AssertionError, match="1 of .* rows differ"):
        assert_same_rows(expected, changed, "fct_customer_rfm", "test")
    cents = [dict(row) for row in expected]
    cents[0]["monetary_amount"] += Decimal("0.01")
    with pytest.raises(AssertionError, match="monetary_amount"):
        assert_same_rows(expected, cents, "fct_customer_rfm", "test")


def test_postgres_skips_the_python_model_and_exports(postgres_server: PostgresServer,
                                                     postgres_build: EngineBuild) -> None:
    """dbt cannot run Python models on PostgreSQL: the demographics are skipped with
    a message, every SQL mart is built, and nothing is exported (the marts live in
    the database)."""
    output = postgres_build.result.output
    if (PROJECT_DIR / "models" / "marts" / "dim_customers.yml").exists():
        assert "Demographics: skipped on the postgres target" in output
        assert not postgres_relation_exists(postgres_server, "dim_customers")
    if (PROJECT_DIR / "models" / "marts" / "fct_customer_clv.yml").exists():
        assert "Predicted value: skipped on the postgres target" in output
        assert not postgres_relation_exists(postgres_server, "fct_customer_clv")
        assert not postgres_relation_exists(postgres_server, "rpt_clv_model")
    assert all(postgres_relation_exists(postgres_server, table) for table in MARTS)
    assert "Exports: file exports need the DuckDB target; on postgres" in output
    assert "Purchases: " in output  # the reconciliation summary works everywhere


def test_spark_skips_the_python_model_and_exports(spark_paths: SparkPaths, spark_build: EngineBuild) -> None:
    output = spark_build.result.output
    if (PROJECT_DIR / "models" / "marts" / "dim_customers.yml").exists():
        assert "Demographics: skipped on the spark target" in output
        assert not spark_paths.table_files(SCHEMA, "dim_customers").exists()
    if (PROJECT_DIR / "models" / "marts" / "fct_customer_clv.yml").exists():
        assert "Predicted value: skipped on the spark target" in output
        assert not spark_paths.table_files(SCHEMA, "fct_customer_clv").exists()
    assert "Exports: file exports need the DuckDB target; on spark" in output
    assert "Purchases: " in output


# --- text input in a warehouse table, under a linguistic collation ---------

# Four customers tied on every measure: NTILE splits them by customer_id, and
# byte order (A4, B2, a3, b1) is not the order of a linguistic collation such
# as ICU en-US (a3, A4, b1, B2).
COLLATION_ROWS = [[f"INV-{customer}", customer, "2024-06-15 12:00:00", "7.00", "1", "S1", "Toys"]
                  for customer in ["b1", "B2", "a3", "A4"]]
# Text both warehouses must read as DuckDB does.
PARSING_ROWS = [
    ["INV-H1", "H", "2024-05-01 22:00 America/New_York", "15", "1", "S1", "Toys"],  # a zone name: next day in UTC
    ["INV-H2", "H", "2024-05-03T08:00:00Z", "1e2", "2.5", "S1", "Toys"],  # Z, an exponent, a fraction
    ["INV-H3", "H", "2024-02-30 10:00:00", "5", "1", "S1", "Toys"],  # no such day
    ["INV-H4", "H", "2024-05-04 10:00:00 Mars/Olympus", "5", "1", "S1", "Toys"],  # no such zone
    ["INV-H5", "H", "2024-05-05 25:00:00", "5", "1", "S1", "Toys"],  # no such hour
    ["INV-H6", "H", "2024-05-06", "12.345", "1", "S1", "Toys"],  # a date alone; amount rounded half up
    ["INV-H7", "H", "2024-05-07 10:00:00", "1,5", "1", "S1", "Toys"],  # a decimal comma
]


def hand_rows() -> list[list[str]]:
    return ACCEPTED_ROWS + [row for row, _ in REJECTED_ROWS] + DUPLICATE_ROWS + COLLATION_ROWS + PARSING_ROWS


def test_postgres_reads_a_text_table_like_duckdb_reads_the_file(postgres_server: PostgresServer,
                                                                 tmp_path: Path) -> None:
    """The hand-made purchases (offsets, zone names, bad dates and amounts,
    duplicates, ties) as an all-text table in a database whose collation is
    linguistic give the customers and rejections DuckDB gives from the file."""
    database = "rfm_linguistic"
    # Skip only when this PostgreSQL was built without ICU (it then has no ICU
    # collations); any other failure to create the database is a real error.
    if postgres_server.psql("select count(*) from pg_collation where collprovider = 'i'").strip() == "0":
        skip_or_fail("this PostgreSQL was built without ICU: no ICU collations in pg_collation")
    postgres_server.psql(f"create database {database} template template0 encoding 'UTF8' "
                         "locale_provider icu icu_locale 'en-US' lc_collate 'C' lc_ctype 'C'")
    columns = ", ".join(f'"{name}" text' for name in HEADER)
    postgres_server.psql(f"create schema raw; create table raw.sales ({columns})", database)
    with postgres_connection(postgres_server, database) as connection, connection.cursor() as cursor:
        # An empty cell arrives as null, as in a warehouse table loaded from CSV.
        cursor.executemany(f"insert into raw.sales values ({', '.join(['%s'] * len(HEADER))})",
                           [[value if value != "" else None for value in row] for row in hand_rows()])
        cursor.execute("select 'a3' < 'B2'")
        assert cursor.fetchone()[0], "the database's collation should be linguistic for this test to mean anything"

    duck = Workspace(tmp_path / "duckdb")
    duck.build({"purchases_path": str(write_csv(tmp_path / "purchases.csv", hand_rows())), **REFERENCE, **MAPPING})

    postgres = Workspace(tmp_path / "postgres")
    result = postgres.dbt("build", variables={"purchases_source_table": "sales", "purchases_source_schema": "raw",
                                              **REFERENCE, **MAPPING},
                          env={**postgres_server.env(), "RFM_POSTGRES_DATABASE": database})
    assert result.ok, f"dbt build on PostgreSQL failed:\n{result.output[-6000:]}"
    read = postgres_reader(postgres_server, database)
    for table in ["fct_customer_rfm", "fct_purchases_rejected", "fct_purchases", "rpt_segment_summary"]:
        names, rows = read(table)
        expected = duckdb_rows(duck, table)
        assert_same_rows(expected, sorted_rows(names, rows, MARTS[table]), table, "postgres (ICU en-US)")
    # The tie really was split by customer_id: the four do not all share their scores.
    scores = {row["customer_id"]: (row["recency_score"], row["frequency_score"], row["monetary_score"])
              for row in duckdb_rows(duck, "fct_customer_rfm")}
    assert len({scores[row[1]] for row in COLLATION_ROWS}) > 1, scores


# --- DuckDB-only settings are refused by name elsewhere --------------------

@pytest.mark.parametrize(("variables", "message"), [
    ({"purchases_path": "purchases.csv"},
     "Invalid var 'purchases_path': reading files directly needs the DuckDB target"),
    ({"customers_path": "customers.csv"},
     "Invalid var 'customers_path': reading files directly needs the DuckDB target"),
    ({"purchase_timestamp_format": "%d/%m/%Y"}, "Invalid var 'purchase_timestamp_format': strptime formats are read by "
                                                "DuckDB and need the DuckDB target"),
])
def test_duckdb_only_settings_are_refused_on_other_targets(workspace: Workspace, variables: dict[str, Any],
                                                           message: str) -> None:
    """Caught while dbt parses the project: no server needed, nothing runs."""
    result = workspace.dbt("parse", variables=variables, env={"RFM_TARGET": "postgres"})
    assert not result.ok
    assert message in result.output, result.output[-3000:]

