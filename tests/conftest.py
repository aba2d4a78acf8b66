"""Run the dbt project as a user would, in isolated workspaces.

Each workspace has its own DuckDB file, export folder, target and log folders,
so tests never touch the developer's `rfm.duckdb` or `exports/`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from engines import PostgresServer, postgres_missing_reason

PROJECT_DIR = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")
EXPORTED_TABLES = [
    "dim_customers",
    "dim_dates",
    "dim_segments",
    "fct_customer_rfm",
    "fct_purchases",
    "purchases_rejected",
    "rpt_purchases_reconciliation",
    "rpt_rfm_grid",
    "rpt_segment_history",
    "rpt_segment_rfm_correlation",
    "rpt_segment_summary",
    "rpt_segment_transitions",
]
# Exported only while rfm_history_periods is above 0.
HISTORY_TABLES = ["rpt_segment_history", "rpt_segment_transitions"]


@dataclass
class DbtResult:
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class Workspace:
    """A DuckDB file, an export folder and dbt's scratch folders under one directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.database = root / "rfm.duckdb"
        # Not created here: the build must make missing folders itself.
        self.exports = root / "out" / "exports"

    def dbt(self, *args: str, variables: dict[str, Any] | None = None,
            env: dict[str, str] | None = None, profiles_dir: Path = PROJECT_DIR) -> DbtResult:
        all_vars = {"export_path": str(self.exports), **(variables or {})}
        command = [str(DBT), *args, "--profiles-dir", str(profiles_dir),
                   "--target-path", str(self.root / "target"), "--log-path", str(self.root / "logs"),
                   "--vars", json.dumps(all_vars)]
        run_env = {**os.environ, "RFM_DUCKDB_PATH": str(self.database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                   **(env or {})}
        done = subprocess.run(command, cwd=PROJECT_DIR, env=run_env, capture_output=True, text=True,
                              timeout=900, check=False)
        return DbtResult(done.returncode, done.stdout + done.stderr)

    def build(self, variables: dict[str, Any] | None = None, **kwargs: Any) -> DbtResult:
        result = self.dbt("build", variables=variables, **kwargs)
        assert result.ok, f"dbt build failed:\n{result.output[-6000:]}"
        return result

    def show(self, sql: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Compile and run an inline query (Jinja and the project's macros allowed) with `dbt show`."""
        result = self.dbt("show", "--inline", sql, "--limit", "-1", "--output", "json", "--log-format", "json",
                          variables=variables)
        assert result.ok, result.output[-3000:]
        for line in result.output.splitlines():
            event = json.loads(line)
            if event.get("data", {}).get("preview"):
                return json.loads(event["data"]["preview"])
        raise AssertionError(f"no preview in dbt show output:\n{result.output[-3000:]}")

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Run SQL against the exported files (views named after the tables)."""
        with duckdb.connect() as connection:
            for table in EXPORTED_TABLES:
                path = self.exports / f"{table}.parquet"
                if path.exists():
                    connection.execute(f"create view {table} as select * from read_parquet('{path}')")
            return connection.execute(sql).fetchall()

    def rows(self, table: str, order_by: str) -> list[dict[str, Any]]:
        with duckdb.connect() as connection:
            relation = connection.sql(
                f"select * from read_parquet('{self.exports / (table + '.parquet')}') order by {order_by}")
            names = relation.columns
            return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.exports / "rfm_export_manifest.json").read_text())

    def export_bytes(self) -> dict[str, bytes]:
        return {table: (self.exports / f"{table}.parquet").read_bytes() for table in EXPORTED_TABLES}


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The default `dbt build` on the committed sample, shared by the read-only tests."""
    built = Workspace(tmp_path_factory.mktemp("sample"))
    built.build()
    return built


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session, stopped (and its folder removed) afterwards."""
    reason = postgres_missing_reason()
    if reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()
