"""dbt-duckdb plugin: lets the export macro create folders and publish files.

DuckDB's SQL can write files but not create folders or rename files, which
the atomic publish in macros/export/rfm_publish_exports.sql needs. The
committed profiles.yml loads this plugin:

    plugins:
      - module: rfm_segmentation.dbt_plugin
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from rfm_segmentation.publish import make_folder, publish_folder, remove_stale_staging

try:  # duckdb >= 1.4
    from duckdb.sqltypes import BIGINT, VARCHAR
except ImportError:  # pragma: no cover - older duckdb
    from duckdb.typing import BIGINT, VARCHAR  # type: ignore[no-redef]


class Plugin(BasePlugin):
    def configure_connection(self, conn: Any) -> None:
        functions = [
            ("rfm_make_folder", make_folder, [VARCHAR], VARCHAR),
            ("rfm_publish_folder", publish_folder, [VARCHAR, VARCHAR], BIGINT),
            ("rfm_remove_stale_staging", remove_stale_staging, [VARCHAR], BIGINT),
        ]
        registered = {row[0] for row in conn.execute(
            "select function_name from duckdb_functions() where function_name like 'rfm_%'").fetchall()}
        for name, function, parameters, returns in functions:
            if name not in registered:
                conn.create_function(name, function, parameters, returns, side_effects=True)
