"""Preview an edit of the segment rules without a rebuild.

The built `rpt_rfm_grid` holds every cell of the R x FM grid the rules read,
with its customers, revenue and segment as built. The current
`rfm_segment` macro (macros/rfm/rfm_segment.sql, as edited) is compiled by
dbt itself and applied to those 25 rows, so the preview takes the same time
whatever the data size: it never reads the customers.
"""

from __future__ import annotations

import csv
import os
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from rfm_segmentation.errors import UserError

GRID_TABLE = "rpt_rfm_grid"
CATALOGUE = Path("seeds") / "segment_catalogue.csv"
FALL_THROUGH = "Unclassified"  # the rules' final ELSE
_GRID_COLUMNS = ["recency_grid_score", "fm_grid_score", "customer_count", "revenue", "segment"]


@dataclass(frozen=True)
class Move:
    from_segment: str
    to_segment: str
    cells: int
    customers: int
    revenue: Decimal

    @property
    def changed(self) -> bool:
        return self.from_segment != self.to_segment


@dataclass(frozen=True)
class Problem:
    kind: str  # 'not_in_catalogue' or 'unclassified'
    segment: str
    cells: tuple[tuple[int, int], ...]  # (R, FM) on the 1..5 grid
    customers: int

    def message(self) -> str:
        where = ", ".join(f"R{r}/FM{fm}" for r, fm in self.cells)
        if self.kind == FALL_THROUGH.lower():
            return (f"{len(self.cells)} cell(s) fall through to '{FALL_THROUGH}' ({where}; {self.customers:,} "
                    "customers): no WHEN line matches them")
        return (f"segment '{self.segment}' is not in {CATALOGUE.as_posix()} ({where}; {self.customers:,} customers): "
                "add its row (sort_order, tier, description, action, colour) or the build's tests fail")


@dataclass(frozen=True)
class Preview:
    database: str
    reference_date: str
    moves: tuple[Move, ...]
    problems: tuple[Problem, ...]

    @property
    def customers(self) -> int:
        return sum(move.customers for move in self.moves)

    @property
    def moved_customers(self) -> int:
        return sum(move.customers for move in self.moves if move.changed)

    def as_dict(self) -> dict[str, Any]:
        return {"database": self.database, "reference_date": self.reference_date,
                "customers": self.customers, "moved_customers": self.moved_customers,
                "moves": [{**asdict(move), "revenue": str(move.revenue), "changed": move.changed}
                          for move in self.moves],
                "problems": [{**asdict(problem), "message": problem.message()} for problem in self.problems]}


def default_database(project_dir: Path) -> Path:
    """Where the committed profile's DuckDB target keeps its file."""
    return project_dir / os.environ.get("RFM_DUCKDB_PATH", "rfm.duckdb")


def read_grid(database: Path) -> tuple[list[dict[str, Any]], str]:
    """The built grid's rows and its reference date; UserError when either is missing."""
    if not database.is_file():
        raise UserError(f"database '{database}' not found: run `dbt build` first "
                        "(or pass --database, or set RFM_DUCKDB_PATH as for the build)")
    try:
        connection = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as error:
        raise UserError(f"cannot open database '{database}': {error}") from error
    with connection:
        schemas = connection.execute(
            "select table_schema from information_schema.tables where table_name = ? "
            "order by table_schema = 'main' desc, table_schema", [GRID_TABLE]).fetchall()
        if not schemas:
            raise UserError(f"{GRID_TABLE} is not in '{database}': build it with `dbt build` "
                            f"(or `dbt build --select +{GRID_TABLE}`) before previewing")
        relation = connection.sql(
            f'select {", ".join(_GRID_COLUMNS)}, cast(reference_date as varchar) as reference_date '
            f'from "{schemas[0][0]}".{GRID_TABLE} order by recency_grid_score, fm_grid_score')
        names = relation.columns
        rows = [dict(zip(names, row, strict=True)) for row in relation.fetchall()]
    if not rows:
        raise UserError(f"{GRID_TABLE} in '{database}' is empty: rebuild it with `dbt build`")
    return rows, str(rows[0]["reference_date"])


def compile_rules(project_dir: Path, dbt_args: list[str]) -> str:
    """The current rfm_segment macro over the grid's columns, compiled by dbt (no database query)."""
    from dbt.cli.main import dbtRunner

    sql = ("select recency_grid_score, fm_grid_score, "
           "{{ rfm_segment('recency_grid_score', 'fm_grid_score') }} as previewed_segment from preview_grid")
    result = dbtRunner().invoke(["compile", "--inline", sql, "--project-dir", str(project_dir),
                                 "--no-populate-cache", "--log-level", "none", *dbt_args])
    if not result.success:
        detail = str(result.exception) if result.exception else "see logs/dbt.log"
        raise UserError(f"dbt could not compile the segment rules (macros/rfm/rfm_segment.sql): {detail}")
    return str(result.result.results[0].node.compiled_code)


def read_catalogue(project_dir: Path) -> set[str]:
    path = project_dir / CATALOGUE
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return {(row.get("segment") or "").strip() for row in csv.DictReader(handle)}
    except OSError as error:
        raise UserError(f"{path}: cannot be read: {error}") from error


def apply_rules(grid: list[dict[str, Any]], compiled_sql: str) -> dict[tuple[int, int], str]:
    """The compiled rules evaluated on the grid's cells, in memory."""
    with duckdb.connect() as connection:
        connection.execute("create table preview_grid (recency_grid_score integer, fm_grid_score integer)")
        connection.executemany("insert into preview_grid values (?, ?)",
                               [(row["recency_grid_score"], row["fm_grid_score"]) for row in grid])
        return {(r, fm): segment for r, fm, segment in connection.execute(compiled_sql).fetchall()}


def preview(project_dir: Path, database: Path, dbt_args: list[str] | None = None) -> Preview:
    grid, reference_date = read_grid(database)
    previewed = apply_rules(grid, compile_rules(project_dir, dbt_args or []))
    catalogue = read_catalogue(project_dir)

    moves: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in grid:
        to_segment = previewed[(row["recency_grid_score"], row["fm_grid_score"])]
        moves.setdefault((row["segment"], to_segment), []).append(row)
    problems = []
    for kind, matches in (("unclassified", lambda name: name == FALL_THROUGH),
                          ("not_in_catalogue", lambda name: name != FALL_THROUGH and name not in catalogue)):
        for segment in sorted({name for name in previewed.values() if matches(name)}):
            cells = [row for row in grid if previewed[(row["recency_grid_score"], row["fm_grid_score"])] == segment]
            problems.append(Problem(kind, segment, tuple((row["recency_grid_score"], row["fm_grid_score"])
                                                         for row in cells),
                                    sum(int(row["customer_count"]) for row in cells)))
    ordered = sorted(
        (Move(source, target, len(rows), sum(int(row["customer_count"]) for row in rows),
              sum((Decimal(row["revenue"]) for row in rows), Decimal(0)))
         for (source, target), rows in moves.items()),
        key=lambda move: (not move.changed, -move.customers, move.from_segment, move.to_segment))
    return Preview(str(database), reference_date, tuple(ordered), tuple(problems))


def format_preview(result: Preview) -> str:
    total = result.customers
    width = max([len(move.from_segment) for move in result.moves] + [len("from")])
    to_width = max([len(move.to_segment) for move in result.moves] + [len("to")])
    lines = [f"Segment rules in macros/rfm/rfm_segment.sql applied to {GRID_TABLE} "
             f"({result.database}, reference date {result.reference_date}, {total:,} scored customers)", "",
             f"{'from':<{width}}    {'to':<{to_width}}  {'cells':>5}  {'customers':>9}  {'revenue':>14}"]
    for move in result.moves:
        arrow = "->" if move.changed else "=="
        lines.append(f"{move.from_segment:<{width}} {arrow} {move.to_segment:<{to_width}}  {move.cells:>5}  "
                     f"{move.customers:>9,}  {move.revenue:>14,.2f}")
    share = f" ({result.moved_customers / total:.1%})" if total else ""
    lines += ["", f"{result.moved_customers:,} of {total:,} scored customers would change segment{share}."]
    if result.problems:
        lines += ["", "Problems:"] + [f"  {problem.message()}" for problem in result.problems]
    else:
        lines.append("Every cell has a segment and every segment is in the catalogue: `dbt build` applies it.")
    return "\n".join(lines)
