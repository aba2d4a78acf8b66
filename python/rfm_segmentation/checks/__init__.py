"""`rfm check`: great-expectations suites over the published exports and the input.

What Power BI reads is what gets checked: the Parquet files in the export
folder and the manifest written with them. One module per job:

* manifest.py: read the export manifest, and the tables it must list;
* recount.py: count the raw input rows again, with the read the build used;
* suites.py: the batches (DuckDB queries) and their expectations;
* runner.py: run them with great-expectations, Data Docs included;
* report.py: the outcomes and the summary text.
"""

from rfm_segmentation.checks.report import CheckReport, Outcome
from rfm_segmentation.checks.runner import run_checks

__all__ = ["CheckReport", "Outcome", "run_checks"]
