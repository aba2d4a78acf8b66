"""A self-contained HTML report of the published exports (`rfm report`).

`rfm_segmentation.report.build.write_report(exports_dir, out)` is the entry
point for the CLI and for the publish step, which calls it on the staging
folder before the switch. This module stays light (no Altair, vl-convert or
DuckDB import), so the CLI can read the default name cheaply.
"""

# Published inside each build folder by `dbt build`; `rfm report` writes it at the
# top of the export folder by default.
REPORT_NAME = "rfm_report.html"
