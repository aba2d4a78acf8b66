"""A self-contained HTML report of the published exports (`rfm report`).

`write_report(exports_dir, out)` is the entry point for the CLI and for the
publish step, which calls it on the staging folder before the switch.
"""

from rfm_segmentation.report.build import ReportResult, resolve_exports_dir, write_report

__all__ = ["ReportResult", "resolve_exports_dir", "write_report"]
