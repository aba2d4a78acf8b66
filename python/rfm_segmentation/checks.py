"""`rfm check`: great-expectations suites over the published exports and the input.

What Power BI reads is what gets checked: the Parquet files of the current
build, the one the pointer in the export folder names (rfm_segmentation.publish),
and the manifest written with them. Two kinds of batch:

* customer-grain tables (fct_customer_rfm, dim_customers, ...) go to GX as
  pandas DataFrames, read by DuckDB with only the columns the expectations use;
* anything over the purchase fact (millions of rows) is first reduced by DuckDB
  to small aggregate frames (key counts, orphan counts, bucket sizes, row
  reconciliation), and GX validates those.

Why not GX's SQL datasource on the DuckDB file: with great-expectations 1.24
and duckdb-engine 0.17 (DuckDB 1.5 and 2.0) every expectation fails with
`MetricResolutionError: list index out of range` (checked again for this
command). On PostgreSQL the SQL datasource is the natural route.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from rfm_segmentation.errors import UserError
from rfm_segmentation.publish import current_build_dir

MANIFEST = "rfm_export_manifest.json"
REQUIRED_TABLES = ("fct_customer_rfm", "fct_purchases", "dim_segments", "dim_dates", "rpt_segment_summary",
                   "purchases_rejected", "rpt_purchases_reconciliation")
OPTIONAL_TABLES = ("dim_customers",)
GENDERS = ["Female", "Male", "Other", "Unknown"]
AGE_BANDS = ["Under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "Unknown"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Check:
    """One expectation: its GX class name, arguments and what it means."""

    expectation: str
    kwargs: dict[str, Any]
    description: str


@dataclass(frozen=True)
class Batch:
    """A DataFrame to validate, the table it describes, and its expectations."""

    name: str
    table: str
    frame: pd.DataFrame
    checks: list[Check]


@dataclass(frozen=True)
class Outcome:
    batch: str
    table: str
    expectation: str
    column: str | None
    description: str
    success: bool
    details: str


@dataclass
class CheckReport:
    outcomes: list[Outcome] = field(default_factory=list)
    data_docs: Path | None = None

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def success(self) -> bool:
        return bool(self.outcomes) and not self.failures

    def summary(self) -> str:
        lines = []
        for batch in dict.fromkeys(o.batch for o in self.outcomes):
            own = [o for o in self.outcomes if o.batch == batch]
            failed = [o for o in own if not o.success]
            lines.append(f"{'FAIL' if failed else 'ok  '}  {batch}: {len(own) - len(failed)}/{len(own)} passed")
            for o in failed:
                column = f"({o.column})" if o.column else ""
                lines.append(f"      FAILED {o.expectation}{column} on {o.table}: {o.description}. {o.details}")
        passed = len(self.outcomes) - len(self.failures)
        lines.append(f"{passed}/{len(self.outcomes)} expectations passed"
                     + (f"; {len(self.failures)} failed" if self.failures else ""))
        if self.data_docs:
            lines.append(f"Data Docs: {self.data_docs}")
        return "\n".join(lines)


def read_manifest(exports: Path) -> dict[str, Any]:
    """The manifest of a build folder (`current_build_dir` gives the current one)."""
    path = exports / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise UserError(f"'{path}' is not valid JSON ({error})") from error
    listed = {table["name"] for table in manifest.get("tables", [])}
    for table in REQUIRED_TABLES:
        if table not in listed:
            raise UserError(f"'{path}' does not list the table {table}; rebuild with `dbt build`")
        if not (exports / f"{table}.parquet").is_file():
            raise UserError(f"'{exports / (table + '.parquet')}' is missing; rebuild with `dbt build`")
    return manifest


@contextmanager
def _exports_connection(exports: Path, tables: list[str]) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as con:
        for table in tables:
            path = str(exports / f"{table}.parquet").replace("'", "''")
            con.execute(f"create view {table} as select * from read_parquet('{path}')")
        yield con


def input_row_count(manifest: dict[str, Any], project_dir: Path) -> tuple[int | None, str]:
    """Rows in the purchases input, counted again from the file; None for warehouse tables."""
    source = manifest.get("purchases_input") or {}
    kind, location = source.get("kind"), source.get("location")
    if kind not in ("file", "sample_seed") or not location:
        return None, f"input is a {kind or 'unknown source'} ({location}); not re-counted outside the warehouse"
    pattern = location if Path(location).is_absolute() else str(project_dir / location)
    quoted = pattern.replace("'", "''")
    if source.get("format") == "parquet":
        relation = f"read_parquet('{quoted}', union_by_name = true)"
    else:
        options = json.loads(source.get("csv_options") or "{}")
        extra = "".join(f", {key} = {_sql_value(value)}" for key, value in sorted(options.items()))
        relation = f"read_csv('{quoted}', header = true, all_varchar = true, union_by_name = true{extra})"
    try:
        with duckdb.connect() as con:
            (count,), = con.execute(f"select count(*) from {relation}").fetchall()
    except duckdb.Error as error:
        raise UserError(f"cannot read the purchases input '{pattern}' named in the manifest: {error}") from error
    return int(count), f"{kind} {location}"


def _sql_value(value: Any) -> str:
    if isinstance(value, bool | int | float):
        return str(value).lower()
    return "'" + str(value).replace("'", "''") + "'"


def build_batches(exports: Path, project_dir: Path) -> list[Batch]:
    """Every frame to validate, with its expectations, read from the current build of the exports."""
    exports = current_build_dir(exports)
    manifest = read_manifest(exports)
    bins = int(manifest["rfm_score_bins"])
    has_demographics = (exports / "dim_customers.parquet").is_file() and any(
        t["name"] == "dim_customers" for t in manifest["tables"])
    tables = [*REQUIRED_TABLES, *(["dim_customers"] if has_demographics else [])]
    input_rows, input_label = input_row_count(manifest, project_dir)

    with _exports_connection(exports, tables) as con:
        def frame(sql: str) -> pd.DataFrame:
            return con.sql(sql).df()

        segments = [row[0] for row in con.sql("select segment from dim_segments order by sort_order").fetchall()]
        # Orphans on each side of the relationships Power BI draws: all must be zero.
        relationships = frame(f"""
                select
                    (select count(distinct customer_id) from fct_purchases
                     where customer_id not in (select customer_id from fct_customer_rfm))
                        as purchase_customers_not_in_fct_customer_rfm,
                    (select count(distinct purchase_date) from fct_purchases
                     where purchase_date not in (select date_day from dim_dates))
                        as purchase_dates_not_in_dim_dates,
                    (select count(*) from fct_customer_rfm
                     where segment not in (select segment from dim_segments)) as customer_segments_not_in_dim_segments,
                    (select count(*) from rpt_segment_summary
                     where segment not in (select segment from dim_segments)) as summary_segments_not_in_dim_segments
                    {''',
                    (select count(*) from dim_customers
                     where customer_id not in (select customer_id from fct_customer_rfm))
                        as dim_customers_not_in_fct_customer_rfm,
                    (select count(*) from fct_customer_rfm
                     where customer_id not in (select customer_id from dim_customers))
                        as fct_customer_rfm_not_in_dim_customers''' if has_demographics else ''}
""")
        batches = [
            Batch("customers", "fct_customer_rfm", frame("""
                select customer_id, segment, recency_score, frequency_score, monetary_score,
                       recency_days, order_count from fct_customer_rfm"""), [
                Check("ExpectColumnValuesToNotBeNull", {"column": "customer_id"}, "every customer has an id"),
                Check("ExpectColumnValuesToBeUnique", {"column": "customer_id"}, "one row per customer"),
                *[Check("ExpectColumnValuesToBeBetween", {"column": score, "min_value": 1, "max_value": bins},
                        f"scores are within 1..{bins}") for score in
                  ("recency_score", "frequency_score", "monetary_score")],
                Check("ExpectColumnValuesToNotBeNull", {"column": "segment"}, "every customer has a segment"),
                Check("ExpectColumnValuesToBeInSet", {"column": "segment", "value_set": segments},
                      "every segment is in the catalogue (dim_segments)"),
                Check("ExpectColumnValuesToBeBetween", {"column": "recency_days", "min_value": 0},
                      "recency_days >= 0"),
                Check("ExpectColumnValuesToBeBetween", {"column": "order_count", "min_value": 1},
                      "frequency (order_count) >= 1"),
            ]),
            Batch("segment catalogue", "dim_segments",
                  frame("select segment, sort_order, color_hex from dim_segments"), [
                Check("ExpectColumnValuesToBeUnique", {"column": "segment"}, "segment names are unique"),
                Check("ExpectColumnValuesToNotBeNull", {"column": "segment"}, "segment names are present"),
                Check("ExpectColumnValuesToBeUnique", {"column": "sort_order"}, "sort orders are unique"),
                Check("ExpectColumnValuesToMatchRegex", {"column": "color_hex", "regex": r"^#[0-9A-F]{6}$"},
                      "colours are #RRGGBB"),
            ]),
            Batch("segment summary", "rpt_segment_summary", frame("select segment from rpt_segment_summary"), [
                Check("ExpectColumnValuesToBeUnique", {"column": "segment"}, "one row per segment"),
                Check("ExpectColumnValuesToBeInSet", {"column": "segment", "value_set": segments},
                      "every summarised segment is in the catalogue"),
            ]),
            Batch("calendar", "dim_dates", frame("select date_day from dim_dates"), [
                Check("ExpectColumnValuesToBeUnique", {"column": "date_day"}, "one row per day"),
                Check("ExpectColumnValuesToNotBeNull", {"column": "date_day"}, "every row has a date"),
            ]),
            # Aggregates computed by DuckDB: the purchase fact is never loaded row by row.
            Batch("purchase keys", "fct_purchases", frame("""
                select count(*) as row_count, count(distinct purchase_key) as distinct_keys,
                       count(*) - count(purchase_key) as missing_keys,
                       count(*) - count(customer_id) as missing_customers
                from fct_purchases"""), [
                Check("ExpectColumnPairValuesToBeEqual", {"column_A": "row_count", "column_B": "distinct_keys"},
                      "purchase_key is unique"),
                Check("ExpectColumnValuesToBeBetween", {"column": "missing_keys", "min_value": 0, "max_value": 0},
                      "purchase_key is never null"),
                Check("ExpectColumnValuesToBeBetween",
                      {"column": "missing_customers", "min_value": 0, "max_value": 0},
                      "every accepted purchase has a customer"),
            ]),
            Batch("reconciliation", "rpt_purchases_reconciliation", frame(f"""
                select
                    {input_rows if input_rows is not None else 'null'}::bigint as input_rows,
                    (select sum(row_count) from rpt_purchases_reconciliation)::bigint as reported_rows,
                    (select count(*) from fct_purchases)
                    + (select count(*) from purchases_rejected)
                    + (select coalesce(sum(row_count), 0) from rpt_purchases_reconciliation
                       where outcome = 'duplicate_removed') as accounted_rows,
                    (select count(*) from fct_purchases) as accepted_rows,
                    (select coalesce(sum(row_count), 0) from rpt_purchases_reconciliation
                     where outcome = 'accepted')::bigint as reported_accepted_rows,
                    (select count(*) from purchases_rejected) as rejected_rows,
                    (select coalesce(sum(row_count), 0) from rpt_purchases_reconciliation
                     where outcome = 'rejected')::bigint as reported_rejected_rows"""), [
                *([Check("ExpectColumnPairValuesToBeEqual", {"column_A": "input_rows", "column_B": "reported_rows"},
                         f"every input row ({input_label}) is accounted for in the reconciliation")]
                  if input_rows is not None else []),
                Check("ExpectColumnPairValuesToBeEqual", {"column_A": "reported_rows", "column_B": "accounted_rows"},
                      "reported rows = accepted + rejected + duplicates removed"),
                Check("ExpectColumnPairValuesToBeEqual",
                      {"column_A": "accepted_rows", "column_B": "reported_accepted_rows"},
                      "fct_purchases has the accepted rows the report counts"),
                Check("ExpectColumnPairValuesToBeEqual",
                      {"column_A": "rejected_rows", "column_B": "reported_rejected_rows"},
                      "purchases_rejected has the rejected rows the report counts"),
            ]),
            Batch("relationships", "fct_purchases, fct_customer_rfm, dim_dates, dim_segments", relationships, [
                Check("ExpectColumnValuesToBeBetween", {"column": column, "min_value": 0, "max_value": 0},
                      column.replace("_", " ") + ": none (referential integrity for Power BI's relationships)")
                for column in relationships.columns]),
        ]

        if manifest.get("rfm_scoring_method") == "ntile":
            batches.append(Batch("score buckets", "fct_customer_rfm", frame("""
                with buckets as (
                    select score, bucket, count(*) as customers
                    from (
                        unpivot (select recency_score, frequency_score, monetary_score from fct_customer_rfm
                                 where recency_score is not null)
                        on recency_score, frequency_score, monetary_score into name score value bucket
                    )
                    group by score, bucket
                )
                select score, max(customers) - min(customers) as bucket_size_spread
                from buckets group by score order by score"""), [
                Check("ExpectColumnValuesToBeBetween",
                      {"column": "bucket_size_spread", "min_value": 0, "max_value": 1},
                      "NTILE buckets of each score differ in size by at most one customer"),
            ]))

        if has_demographics:
            batches.append(Batch("demographics", "dim_customers", frame(
                "select customer_id, gender, age_band, age_years from dim_customers"), [
                Check("ExpectColumnValuesToNotBeNull", {"column": "customer_id"}, "every row has a customer id"),
                Check("ExpectColumnValuesToBeUnique", {"column": "customer_id"}, "one row per customer"),
                Check("ExpectColumnValuesToBeInSet", {"column": "gender", "value_set": GENDERS},
                      "gender labels are normalised"),
                Check("ExpectColumnValuesToBeInSet", {"column": "age_band", "value_set": AGE_BANDS},
                      "age bands are the documented ones"),
                Check("ExpectColumnValuesToBeBetween", {"column": "age_years", "min_value": 0, "max_value": 110},
                      "ages are plausible"),
            ]))
    return batches


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
        by_description = {check.description: check for check in batch.checks}
        for expectation_result in result.results:
            config = expectation_result.expectation_config
            assert config is not None  # GX sets it on every result of a suite run
            check = by_description.get(config.description or "")
            report.outcomes.append(Outcome(
                batch=batch.name, table=batch.table, expectation=config.type,
                column=config.kwargs.get("column") or _pair(config.kwargs),
                description=check.description if check else (config.description or ""),
                success=bool(expectation_result.success), details=_details(expectation_result)))
    if data_docs is not None:
        progress("writing Data Docs")
        context.build_data_docs(site_names=["rfm"])
        report.data_docs = data_docs / "index.html"
    return report


def _pair(kwargs: dict[str, Any]) -> str | None:
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    return None


def _details(expectation_result: Any) -> str:
    """What was found, in a sentence: the counts and a few offending values."""
    if expectation_result.exception_info and expectation_result.exception_info.get("raised_exception"):
        return f"Error: {expectation_result.exception_info.get('exception_message')}"
    result = expectation_result.result or {}
    parts = []
    if result.get("unexpected_count"):
        parts.append(f"{result['unexpected_count']:,} unexpected of {result.get('element_count', 0):,}")
    sample = result.get("partial_unexpected_list")
    if sample:
        shown = sorted({str(value) for value in sample})[:5]
        parts.append(f"e.g. {', '.join(shown)}")
    if "observed_value" in result:
        parts.append(f"observed {result['observed_value']}")
    return "; ".join(parts)


def _clear_data_docs(folder: Path) -> None:
    """Remove the previous run's pages (only what GX writes), so the site shows one run."""
    for name in ("validations", "expectations", "static"):
        shutil.rmtree(folder / name, ignore_errors=True)
    (folder / "index.html").unlink(missing_ok=True)
