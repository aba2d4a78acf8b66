"""Drift between two builds: the population stability index (PSI) of the inputs to the scores.

NTILE makes every score bucket the same size by construction, so comparing score
counts between builds says nothing. What can move is the population under the
buckets: this module bins the current build's recency days, orders and spend at
the *baseline's* score boundaries and compares the shares bucket by bucket, and
does the same for segment shares and for the R x FM grid.

    PSI = sum over bins of (actual - expected) * ln(actual / expected)

with shares floored at EPSILON so an empty bin gives a large, finite value
rather than infinity. It is computed by DuckDB over the Parquet files of the
two build folders (the customer table only: a few columns of one row per
customer). Rules of thumb: below 0.1 no real change, 0.1-0.25 a shift worth a
look, above 0.25 a different population.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from rfm_segmentation.errors import UserError
from rfm_segmentation.exports import MANIFEST_FILE
from rfm_segmentation.publish import current_build_dir, previous_build_dir

EPSILON = 1e-4  # share given to an empty bin (on either side)
WARN_ABOVE = 0.1
FAIL_ABOVE = 0.25
CUSTOMER_TABLE = "fct_customer_rfm"
# measure -> its score column, in the order they are reported.
MEASURES = {"recency_days": "recency_score", "order_count": "frequency_score", "monetary_amount": "monetary_score"}

# The one PSI formula, over a CTE `counts(category, expected_count, actual_count)` written before it.
PSI_SQL = f"""
shares as (
    select
        category,
        expected_count / nullif(sum(expected_count) over (), 0) as expected_share,
        actual_count / nullif(sum(actual_count) over (), 0) as actual_share
    from counts
),
floored as (
    select category, expected_share, actual_share,
           greatest(coalesce(expected_share, 0), {EPSILON}) as e,
           greatest(coalesce(actual_share, 0), {EPSILON}) as a
    from shares
)
select category, coalesce(expected_share, 0)::double, coalesce(actual_share, 0)::double,
       ((a - e) * ln(a / e))::double as contribution
from floored
order by category
"""


@dataclass(frozen=True)
class Bin:
    label: str
    expected_share: float
    actual_share: float
    contribution: float


@dataclass(frozen=True)
class Metric:
    """The PSI of one distribution between the baseline and the current build."""

    name: str
    psi: float
    bins: list[Bin]


@dataclass(frozen=True)
class BoundaryMove:
    """Where a score boundary (the largest value of the bucket below it) lay in each build."""

    measure: str
    between: str  # e.g. "R 4|5" : the boundary between the two scores
    baseline: float
    current: float

    @property
    def change(self) -> float:
        return self.current - self.baseline

    @property
    def relative_change(self) -> float | None:
        return None if self.baseline == 0 else self.change / abs(self.baseline)


@dataclass
class DriftReport:
    baseline: Path
    current: Path
    baseline_customers: int
    current_customers: int
    metrics: list[Metric] = field(default_factory=list)
    boundaries: list[BoundaryMove] = field(default_factory=list)
    warn_above: float = WARN_ABOVE
    fail_above: float = FAIL_ABOVE

    def status(self, psi: float) -> str:
        return "FAIL" if psi > self.fail_above else "warn" if psi > self.warn_above else "ok"

    @property
    def failed(self) -> list[Metric]:
        return [m for m in self.metrics if m.psi > self.fail_above]

    @property
    def warned(self) -> list[Metric]:
        return [m for m in self.metrics if self.warn_above < m.psi <= self.fail_above]

    def summary(self) -> str:
        lines = [f"baseline: {self.baseline} ({self.baseline_customers:,} scored customers)",
                 f"current:  {self.current} ({self.current_customers:,} scored customers)",
                 f"PSI (warn above {self.warn_above:g}, fail above {self.fail_above:g}):"]
        for metric in self.metrics:
            lines.append(f"  {self.status(metric.psi):4}  {metric.name:<16} {metric.psi:8.4f}")
            if metric.psi > self.warn_above:
                worst = sorted(metric.bins, key=lambda b: -b.contribution)[:3]
                lines.extend(f"          {b.label}: {b.expected_share:.1%} -> {b.actual_share:.1%}" for b in worst)
        lines.append("score boundaries (largest value of the lower score; baseline -> current):")
        for move in self.boundaries:
            relative = "" if move.relative_change is None else f" ({move.relative_change:+.1%})"
            lines.append(f"  {move.measure:<16} {move.between:<7} {move.baseline:g} -> {move.current:g}{relative}")
        return "\n".join(lines)


def psi_of_counts(connection: duckdb.DuckDBPyConnection, counts_sql: str, name: str) -> Metric:
    """The PSI of a relation (category, expected_count, actual_count) given as SQL."""
    rows = connection.sql(f"with counts as ({counts_sql}), {PSI_SQL}").fetchall()
    bins = [Bin(str(label), expected, actual, contribution) for label, expected, actual, contribution in rows]
    return Metric(name, float(sum(b.contribution for b in bins)), bins)


def population_stability_index(expected_counts: Sequence[float], actual_counts: Sequence[float]) -> float:
    """PSI of two count vectors over the same bins, by the same SQL the drift report uses."""
    if len(expected_counts) != len(actual_counts) or not expected_counts:
        raise ValueError("expected and actual counts must be non-empty and over the same bins")
    values = ", ".join(f"({index}, {float(e)!r}, {float(a)!r})"
                       for index, (e, a) in enumerate(zip(expected_counts, actual_counts, strict=True)))
    with duckdb.connect() as connection:
        return psi_of_counts(connection, f"select * from (values {values}) as v(category, expected_count, "
                                         "actual_count)", "counts").psi


def resolve_build(folder: Path) -> Path:
    """A build folder as given, or the current build of an export folder."""
    if (folder / MANIFEST_FILE).is_file() and (folder / f"{CUSTOMER_TABLE}.parquet").is_file():
        return folder
    return current_build_dir(folder)


def baseline_for(exports: Path, baseline: Path | None = None) -> Path | None:
    """The build to compare with: the one given, else the previous build of the export folder."""
    if baseline is not None:
        if not baseline.is_dir():
            raise UserError(f"--baseline '{baseline}' is not a folder (give an export folder or a build folder)")
        return resolve_build(baseline)
    return previous_build_dir(exports)


def compute_drift(current: Path, baseline: Path, fail_above: float = FAIL_ABOVE,
                  warn_above: float = WARN_ABOVE) -> DriftReport:
    """Compare the scored customers of two build folders."""
    with duckdb.connect() as connection:
        for name, folder in (("baseline", baseline), ("current", current)):
            path = folder / f"{CUSTOMER_TABLE}.parquet"
            if not path.is_file():
                raise UserError(f"'{path}' not found: '{folder}' is not a complete build")
            literal = str(path).replace("'", "''")
            connection.execute(f"create view {name} as select * from read_parquet('{literal}') where is_scored")
        bins = _score_bins(connection)
        report = DriftReport(baseline, current, *_customer_counts(connection),
                             warn_above=warn_above, fail_above=fail_above)
        for measure, score in MEASURES.items():
            cuts = _boundaries(connection, "baseline", measure, score)
            report.metrics.append(psi_of_counts(connection, _binned_counts_sql(measure, cuts), measure))
            report.boundaries.extend(_moves(connection, measure, score, bins))
        report.metrics.append(psi_of_counts(connection, _category_counts_sql("segment"), "segment"))
        report.metrics.append(psi_of_counts(connection, _cell_counts_sql(bins), "R x FM cells"))
    return report


def _one_row(connection: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    (row,) = connection.sql(sql).fetchall()
    return row


def _customer_counts(connection: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    row = _one_row(connection, "select (select count(*) from baseline), (select count(*) from current)")
    if not row[0] or not row[1]:
        raise UserError("a build has no scored customer: drift cannot be measured")
    return int(row[0]), int(row[1])


def _score_bins(connection: duckdb.DuckDBPyConnection) -> int:
    row = _one_row(connection, "select max(recency_score), (select max(recency_score) from baseline) from current")
    return int(max(row[0] or 0, row[1] or 0))


def _boundaries(connection: duckdb.DuckDBPyConnection, build: str, measure: str, score: str) -> list[float]:
    """Cut points on the value axis: the largest value of each bucket but the highest-valued one."""
    uppers = [row[0] for row in connection.sql(
        f"select max({measure})::double from {build} group by {score} order by min({measure}), max({measure})")
        .fetchall()]
    return sorted(set(uppers[:-1]))


def _moves(connection: duckdb.DuckDBPyConnection, measure: str, score: str, bins: int) -> list[BoundaryMove]:
    """For each pair of adjacent scores, the largest value of the lower-valued one, in each build."""
    letter = {"recency_score": "R", "frequency_score": "F", "monetary_score": "M"}[score]
    # Recency is the one measure where a larger value gets a lower score.
    ascending = score != "recency_score"
    moves = []
    for lower in range(1, bins):
        valued_low = lower if ascending else lower + 1
        row = _one_row(connection,
            f"select (select max({measure}) from baseline where {score} = {valued_low})::double, "
            f"(select max({measure}) from current where {score} = {valued_low})::double")
        if row[0] is None or row[1] is None:
            continue  # a score that is empty in one build (percent_rank can leave gaps)
        moves.append(BoundaryMove(measure, f"{letter} {lower}|{lower + 1}", row[0], row[1]))
    return moves


def _binned_counts_sql(measure: str, cuts: list[float]) -> str:
    labels = [f"<= {cut:g}" for cut in cuts] + ([f"> {cuts[-1]:g}"] if cuts else ["all"])
    bin_of = " + ".join(["0", *(f"({measure} > {cut!r})::int" for cut in cuts)])
    names = ", ".join(f"({index}, '{label}')" for index, label in enumerate(labels))
    return f"""
        with labels(bin, label) as (values {names}),
        expected as (select {bin_of} as bin, count(*) as n from baseline group by 1),
        actual as (select {bin_of} as bin, count(*) as n from current group by 1)
        select lpad(labels.bin::varchar, 3, '0') || ' ' || labels.label as category,
               coalesce(expected.n, 0)::double as expected_count, coalesce(actual.n, 0)::double as actual_count
        from labels left join expected using (bin) left join actual using (bin)"""


def _category_counts_sql(column: str) -> str:
    return f"""
        with expected as (select {column} as category, count(*) as n from baseline group by 1),
        actual as (select {column} as category, count(*) as n from current group by 1)
        select coalesce(expected.category, actual.category) as category,
               coalesce(expected.n, 0)::double as expected_count, coalesce(actual.n, 0)::double as actual_count
        from expected full outer join actual on expected.category = actual.category"""


def _cell_counts_sql(bins: int) -> str:
    """Every R x FM cell, empty ones included (25 with five bins)."""
    return f"""
        with cells as (
            select r.range as r, fm.range as fm from range(1, {bins + 1}) r, range(1, {bins + 1}) fm
        ),
        expected as (select recency_score as r, fm_score as fm, count(*) as n from baseline group by 1, 2),
        actual as (select recency_score as r, fm_score as fm, count(*) as n from current group by 1, 2)
        select 'R' || cells.r || ' FM' || cells.fm as category,
               coalesce(expected.n, 0)::double as expected_count, coalesce(actual.n, 0)::double as actual_count
        from cells left join expected using (r, fm) left join actual using (r, fm)"""
