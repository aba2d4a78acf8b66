"""`rfm check`: validate the input and the published marts with great-expectations."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rfm_segmentation.checks import run_checks
from rfm_segmentation.errors import CheckFailed

DEFAULT_DATA_DOCS = Path("target") / "data_docs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exports", type=Path, default=Path("exports"),
                        help="the export folder dbt published (default: exports)")
    parser.add_argument("--project-dir", type=Path, default=Path("."),
                        help="the dbt project: its contracts list the exported tables, and relative input "
                             "paths in the manifest start there (default: .)")
    parser.add_argument("--data-docs", type=Path, default=DEFAULT_DATA_DOCS,
                        help=f"folder for the GX Data Docs HTML (default: {DEFAULT_DATA_DOCS})")
    parser.add_argument("--no-data-docs", action="store_true", help="do not write Data Docs")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)

    report = run_checks(args.exports, args.project_dir, None if args.no_data_docs else args.data_docs, progress)
    print(report.summary())
    if not report.success:
        raise CheckFailed(f"{len(report.failures)} expectation(s) failed")
    return 0
