"""dbt-duckdb plugin: lets the export macro start and publish a build of the
exports, and sizes DuckDB's memory_limit from the input.

DuckDB's SQL can write files but not create folders, rename files or remove
old builds, which publishing (macros/on-run-end/rfm_publish_exports.sql, logic in
rfm_segmentation.publish) needs. The committed profiles.yml loads this plugin:

    plugins:
      - module: rfm_segmentation.dbt_plugin
        config:
          memory_limit: "{{ env_var('RFM_DUCKDB_MEMORY_LIMIT', 'auto') }}"

memory_limit is set here rather than in the profile's `settings`, which
dbt-duckdb applies again to every cursor it opens (every model): a limit the
on-run-start hook raised for a large input would fall back at each model.
'auto' starts at 1GB and lets the hook choose (rfm_segmentation.memory).
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from rfm_segmentation.memory import MINIMUM_GB, memory_limit_for_lines
from rfm_segmentation.publish import publish_for_dbt, start_build

try:  # duckdb >= 1.4
    from duckdb.sqltypes import BIGINT, VARCHAR
except ImportError:  # pragma: no cover - older duckdb
    from duckdb.typing import BIGINT, VARCHAR  # type: ignore[no-redef]


def start_build_for_dbt(export_path: str, invocation_id: str) -> str:
    """start_build with exactly the SQL function's parameters (DuckDB counts the Python ones)."""
    return start_build(export_path, invocation_id)


def write_report_for_dbt(build_folder: str) -> str:
    """The HTML report of a build, written into its folder before the switch: '' when
    written, else why not. A report that cannot be drawn must not hold back the data,
    so the publisher logs this as a warning and publishes the build without it."""
    # Altair and vl-convert load only here, not with every dbt command.
    from pathlib import Path

    from rfm_segmentation.report import REPORT_NAME
    from rfm_segmentation.report.build import write_report

    folder = Path(build_folder)
    try:
        write_report(folder, folder / REPORT_NAME)
    except Exception as error:  # noqa: BLE001 - any failure becomes the warning's text
        return f"the HTML report was not written ({type(error).__name__}: {error})"
    return ""


# The macro checks that these are registered (rfm_require_publish_functions).
FUNCTIONS = [
    # (export folder, dbt invocation id) -> the new build's id; creates builds/<id>/
    ("rfm_start_build", start_build_for_dbt, [VARCHAR, VARCHAR], VARCHAR),
    # (export folder, build id, builds to keep) -> the outcome as JSON (error, warnings, removed builds)
    ("rfm_publish_build", publish_for_dbt, [VARCHAR, VARCHAR, BIGINT], VARCHAR),
    # (build folder) -> '' or why the HTML report was not written into it
    ("rfm_write_report", write_report_for_dbt, [VARCHAR], VARCHAR),
]


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        configured = str(plugin_config.get("memory_limit") or "auto").strip()
        # None: sized by the on-run-start hook from the input.
        self.memory_limit = None if configured.lower() == "auto" else configured

    def memory_limit_for_dbt(self, lines: int) -> str:
        """The limit the hook should set for an input of `lines` lines; '' when the
        profile (RFM_DUCKDB_MEMORY_LIMIT) fixed it."""
        return "" if self.memory_limit else memory_limit_for_lines(lines)

    def configure_connection(self, conn: Any) -> None:
        conn.execute(f"SET memory_limit = '{self.memory_limit or f'{MINIMUM_GB}GB'}'")
        registered = {row[0] for row in conn.execute(
            "select function_name from duckdb_functions() where function_name like 'rfm_%'").fetchall()}
        # (input lines) -> the memory_limit to set, or '' when the profile fixed it
        functions = [*FUNCTIONS, ("rfm_memory_limit_for", self.memory_limit_for_dbt, [BIGINT], VARCHAR)]
        for name, function, parameters, returns in functions:
            if name not in registered:
                conn.create_function(name, function, parameters, returns, side_effects=True)
