"""`rfm report`: one self-contained HTML file with the report's figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from rfm_segmentation.report import REPORT_NAME


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exports", type=Path, default=Path("exports"),
                        help="the export folder dbt published (export_path; default: exports)")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"the HTML file to write (default: <exports>/{REPORT_NAME})")


def run(args: argparse.Namespace) -> int:
    # Altair, vl-convert and DuckDB load here, so `rfm --help` stays fast.
    from rfm_segmentation.report.build import resolve_exports_dir, write_report

    exports_dir = resolve_exports_dir(args.exports)
    out = args.out if args.out is not None else args.exports / REPORT_NAME
    result = write_report(exports_dir, out)
    print(f"Report: {result.path} ({result.size_bytes / 1e6:.2f} MB, {result.seconds:.1f} s)")
    for section in result.empty_sections:
        print(f"  {section}: empty (the report says why)")
    return 0
