"""Run the suites with great-expectations and collect the outcomes (and Data Docs)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from rfm_segmentation.checks.report import CheckReport, Outcome, details, pair_label
from rfm_segmentation.checks.suites import build_batches

Progress = Callable[[str], None]


def run_checks(exports: Path, project_dir: Path = Path("."), data_docs: Path | None = None,
               progress: Progress = lambda _: None) -> CheckReport:
    """Validate the exports with great-expectations; write Data Docs HTML when a folder is given."""
    progress(f"reading {exports}")
    batches = build_batches(exports, project_dir)
    progress("loading great-expectations")
    import great_expectations as gx  # slow to import: only when checks run
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if data_docs is not None:
        _clear_data_docs(data_docs)
        context.add_data_docs_site(site_name="rfm", site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs.resolve())},
        })
    source = context.data_sources.add_pandas(name="rfm_exports")
    report = CheckReport()
    for index, batch in enumerate(batches):
        progress(f"validating {batch.name} ({batch.table}, {len(batch.frame):,} rows, {len(batch.checks)} checks)")
        name = f"{index:02d}_{batch.name.replace(' ', '_')}"
        asset = source.add_dataframe_asset(name=name)
        definition = asset.add_batch_definition_whole_dataframe(name)
        expectations = [getattr(gxe, check.expectation)(**check.kwargs, description=check.description)
                        for check in batch.checks]
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        validation = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=definition,
                                                                                suite=suite))
        result = validation.run(batch_parameters={"dataframe": batch.frame}, result_format="SUMMARY")
        report.notes.extend(batch.notes)
        by_description = {check.description: check for check in batch.checks}
        for expectation_result in result.results:
            config = expectation_result.expectation_config
            assert config is not None  # GX sets it on every result of a suite run
            check = by_description.get(config.description or "")
            report.outcomes.append(Outcome(
                batch=batch.name, table=batch.table, expectation=config.type,
                column=config.kwargs.get("column") or pair_label(config.kwargs),
                description=check.description if check else (config.description or ""),
                success=bool(expectation_result.success), details=details(expectation_result)))
    if data_docs is not None:
        progress("writing Data Docs")
        context.build_data_docs(site_names=["rfm"])
        report.data_docs = data_docs / "index.html"
    return report


def _clear_data_docs(folder: Path) -> None:
    """Remove the previous run's pages (only what GX writes), so the site shows one run."""
    for name in ("validations", "expectations", "static"):
        shutil.rmtree(folder / name, ignore_errors=True)
    (folder / "index.html").unlink(missing_ok=True)
