"""dbt-duckdb plugin: lets the export macro start and publish a build of the exports.

DuckDB's SQL can write files but not create folders, rename files or remove
old builds, which publishing (macros/on-run-end/rfm_publish_exports.sql, logic in
rfm_segmentation.publish) needs. The committed profiles.yml loads this plugin:

    plugins:
      - module: rfm_segmentation.dbt_plugin
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from rfm_segmentation.publish import publish_for_dbt, start_build

try:  # duckdb >= 1.4
    from duckdb.sqltypes import BIGINT, VARCHAR
except ImportError:  # pragma: no cover - older duckdb
    from duckdb.typing import BIGINT, VARCHAR  # type: ignore[no-redef]



def start_build_for_dbt(export_path: str, invocation_id: str) -> str:
    """start_build with exactly the SQL function's parameters (DuckDB counts the Python ones)."""
    return start_build(export_path, invocation_id)


# The macro checks that these are registered (rfm_require_publish_functions).
FUNCTIONS = [
    # (export folder, dbt invocation id) -> the new build's id; creates builds/<id>/
    ("rfm_start_build", start_build_for_dbt, [VARCHAR, VARCHAR], VARCHAR),
    # (export folder, build id, builds to keep) -> the outcome as JSON (error, warnings, removed builds)
    ("rfm_publish_build", publish_for_dbt, [VARCHAR, VARCHAR, BIGINT], VARCHAR),
]


class Plugin(BasePlugin):
    def configure_connection(self, conn: Any) -> None:
        registered = {row[0] for row in conn.execute(
            "select function_name from duckdb_functions() where function_name like 'rfm_%'").fetchall()}
        for name, function, parameters, returns in FUNCTIONS:
            if name not in registered:
                conn.create_function(name, function, parameters, returns, side_effects=True)
