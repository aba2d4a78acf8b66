"""The export manifest: which build the files come from, and what it published."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rfm_segmentation.errors import UserError
from rfm_segmentation.exports import MANIFEST_FILE, required_exports


def read_manifest(exports: Path, project_dir: Path) -> dict[str, Any]:
    """The manifest of a build folder (`current_build_dir` gives the current one), once every
    table a build always publishes is listed and present."""
    path = exports / MANIFEST_FILE
    if not exports.is_dir():
        raise UserError(f"export folder '{exports}' does not exist; run `dbt build` first (or pass --exports)")
    if not path.is_file():
        raise UserError(f"'{path}' not found: the exports were never published there; run `dbt build` first")
    try:
        manifest = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise UserError(f"'{path}' is not valid JSON ({error})") from error
    if not isinstance(manifest, dict):
        raise UserError(f"'{path}' is not an export manifest (expected a JSON object)")
    listed = {table.get("name") for table in manifest.get("tables", []) if isinstance(table, dict)}
    for table in required_exports(project_dir):
        if table not in listed:
            raise UserError(f"'{path}' does not list the table {table}; rebuild with `dbt build`")
        if not (exports / f"{table}.parquet").is_file():
            raise UserError(f"'{exports / (table + '.parquet')}' is missing; rebuild with `dbt build`")
    return manifest


def is_published(manifest: dict[str, Any], exports: Path, table: str) -> bool:
    """An optional table (dim_customers) is checked when the build listed and wrote it."""
    listed = any(isinstance(entry, dict) and entry.get("name") == table for entry in manifest.get("tables", []))
    return listed and (exports / f"{table}.parquet").is_file()
