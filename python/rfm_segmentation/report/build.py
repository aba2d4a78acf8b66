"""Find the exports, compute the figures, render and write the report atomically."""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rfm_segmentation.errors import UserError
from rfm_segmentation.exports import BUILDS_FOLDER
from rfm_segmentation.publish import current_build_dir
from rfm_segmentation.report.data import load_report_data
from rfm_segmentation.report.page import render_page


@dataclass(frozen=True)
class ReportResult:
    path: Path
    size_bytes: int
    seconds: float
    empty_sections: tuple[str, ...]


def resolve_exports_dir(path: Path) -> Path:
    """The folder holding the Parquet files to report on.

    An export_path (its pointer names the current build) gives that build's
    folder, read through the same resolver as `rfm check`; any other folder,
    such as `exports/current` or one build under `exports/builds/`, is read as is.
    """
    if not path.is_dir():
        raise UserError(f"export folder '{path}' does not exist (run dbt build first, or give --exports)")
    if (path / BUILDS_FOLDER).is_dir():
        return current_build_dir(path)
    return path


def write_report(exports_dir: Path, out: Path) -> ReportResult:
    """Write the report of the Parquet files in `exports_dir` to `out`.

    `exports_dir` is read as is (a published folder, or a staging folder before
    it is published). The file is written next to `out` and renamed into place,
    so a reader never sees half a report.
    """
    started = time.perf_counter()
    data = load_report_data(exports_dir)
    html = render_page(data).encode("utf-8")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".rfm_report-", suffix=".tmp", dir=out.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(html)
            os.chmod(temporary, 0o644)
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise UserError(f"cannot write the report to '{out}': {error.strerror or error}") from error
    return ReportResult(out, len(html), time.perf_counter() - started, tuple(sorted(data.missing)))
