"""Run the dbt project as a user would, in isolated workspaces.

Each workspace has its own DuckDB file, export folder, target and log folders,
so tests never touch the developer's `rfm.duckdb` or `exports/`.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from rfm_segmentation.exports import MANIFEST_FILE, exported_tables
from rfm_segmentation.publish import current_build_dir

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
# Every table `dbt build` publishes: the marts whose contract has meta.powerbi_export.
EXPORTED_TABLES = list(exported_tables(PROJECT_DIR))
# Published only while rfm_history_periods is above 0.
HISTORY_TABLES = ["rpt_segment_history", "rpt_segment_transitions"]



def catalogue_segments() -> list[str]:
    """The segments of the editable catalogue seed, in file order."""
    with (PROJECT_DIR / "seeds" / "segment_catalogue.csv").open() as handle:
        return [row["segment"] for row in csv.DictReader(handle)]


@dataclass
class DbtResult:
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class Workspace:
    """A DuckDB file, an export folder and dbt's scratch folders under one directory."""

    def __init__(self, root: Path, publish_report: bool = False) -> None:
        self.root = root
        # The HTML report costs seconds per build: only the builds that test it draw it.
        self.publish_report = publish_report
        self.database = root / "rfm.duckdb"
        # Not created here: the build must make missing folders itself.
        self.exports = root / "out" / "exports"

    @property
    def published(self) -> Path:
        """The current build's folder, which the pointer in the export folder names."""
        return current_build_dir(self.exports)

    def dbt(self, *args: str, variables: dict[str, Any] | None = None,
            env: dict[str, str] | None = None, profiles_dir: Path = PROJECT_DIR) -> DbtResult:
        all_vars = {"export_path": str(self.exports), "publish_report": self.publish_report, **(variables or {})}
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
            published = self.published
            for table in EXPORTED_TABLES:
                path = published / f"{table}.parquet"
                if path.exists():
                    connection.execute(f"create view {table} as select * from read_parquet('{path}')")
            return connection.execute(sql).fetchall()

    def rows(self, table: str, order_by: str) -> list[dict[str, Any]]:
        with duckdb.connect() as connection:
            relation = connection.sql(
                f"select * from read_parquet('{self.published / (table + '.parquet')}') order by {order_by}")
            names = relation.columns
            return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]

    def manifest(self) -> dict[str, Any]:
        """The pointer: the current build's manifest with build_id and previous_build_id."""
        return json.loads((self.exports / MANIFEST_FILE).read_text())

    def export_bytes(self) -> dict[str, bytes]:
        """Every Parquet file the current build published (the manifest's list:
        optional tables are left out by some settings), by table."""
        published = self.published
        tables = [table["name"] for table in self.manifest()["tables"]]
        assert set(tables) <= set(EXPORTED_TABLES), tables
        return {table: (published / f"{table}.parquet").read_bytes() for table in tables}
