"""Count the raw input rows again, outside dbt, to reconcile with what the build reports.

The manifest's `inputs` names each input the build read (`purchases`, and
`customers` when demographics were built) with `read_sql`: the DuckDB table
expression staging read the raw rows with, its paths relative to the project
root. Counting with the same read means the same files, globs and CSV options:
no second copy of the input resolution here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from rfm_segmentation.errors import UserError


@dataclass(frozen=True)
class InputCount:
    entity: str  # purchases | customers
    kind: str  # file | sample_seed | warehouse_table
    location: str
    rows: int | None  # None: a warehouse table, counted by the dbt test in the warehouse instead

    @property
    def label(self) -> str:
        return f"{self.kind} {self.location}"


def recount_inputs(manifest: dict[str, Any], project_dir: Path) -> dict[str, InputCount]:
    """Every input of the manifest, by entity, with its rows counted again where DuckDB can read it."""
    inputs = manifest.get("inputs")
    if not isinstance(inputs, dict) or "purchases" not in inputs:
        raise UserError("the export manifest names no purchases input (its 'inputs' key): it was written by an "
                        "older build; rebuild with `dbt build`")
    counts: dict[str, InputCount] = {}
    with duckdb.connect() as con:
        # read_sql holds relative paths: resolve them from the project, not the current folder.
        con.execute("set file_search_path = " + _sql_text(str(project_dir.resolve())))
        for entity, source in sorted(inputs.items()):
            if not isinstance(source, dict):
                raise UserError(f"the export manifest's input '{entity}' is not an object; rebuild with `dbt build`")
            kind, location = str(source.get("kind")), str(source.get("location"))
            read_sql = source.get("read_sql")
            rows = None
            if read_sql:
                try:
                    (count,), = con.execute(f"select count(*) from {read_sql}").fetchall()
                except duckdb.Error as error:
                    raise UserError(f"cannot read the {entity} input '{location}' named in the export manifest "
                                    f"(from {project_dir}): {error}") from error
                rows = int(count)
            counts[entity] = InputCount(entity, kind, location, rows)
    return counts


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
