"""NTILE from each partition's boundary rows (macros/rfm/rfm_ntile_boundaries.sql)
gives exactly the scores of the window it replaces in the history:

    ntile(bins) over (partition by p order by measure <direction>, customer_id)

The macros are rendered with Jinja outside dbt (the two adapter-dispatched
helpers they call stand in with their DuckDB bodies) and run on DuckDB
against that window: exact values on a hand-checked partition, then every
bins from 2 to 10, both directions, on generated partitions of every
awkward size (1 row, fewer rows than bins, multiples of bins and one off)
with heavy ties, including a single value shared by every row.
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import jinja2
import pytest

from helpers.workspace import PROJECT_DIR

pytestmark = pytest.mark.unit

MACROS = PROJECT_DIR / "macros" / "rfm" / "rfm_ntile_boundaries.sql"


def render_scoring(bins: int, better: str) -> str:
    """The query scoring table `rows` (p, customer_id, measure) both ways: by
    boundaries (boundary_score) and by the window (window_score)."""
    environment = jinja2.Environment(loader=jinja2.DictLoader({"macros": Path(MACROS).read_text()}))
    environment.globals["rfm_int_div"] = lambda numerator, denominator: f"(({numerator}) // ({denominator}))"
    environment.globals["rfm_binary_text"] = lambda text: text
    direction = "asc" if better == "higher" else "desc"
    template = environment.from_string(
        "{% from 'macros' import rfm_ntile_boundaries, rfm_ntile_from_boundaries %}"
        "with {{ rfm_ntile_boundaries('rows', 'measure', 'measure', better, bins, 'p') }}\n"
        "scored as (select rows.p, rows.customer_id, rows.measure,\n"
        "  cast({{ rfm_ntile_from_boundaries('measure', 'rows.measure', better, bins,"
        " tie_breaker='rows.customer_id') }} as integer) as boundary_score,\n"
        "  cast(ntile({{ bins }}) over (partition by rows.p order by rows.measure {{ direction }},"
        " rows.customer_id) as integer) as window_score\n"
        "  from rows left join measure_boundaries on rows.p = measure_boundaries.p)\n"
        "select p, customer_id, measure, boundary_score, window_score from scored order by p, customer_id")
    return template.render(bins=bins, better=better, direction=direction)


def score(rows: list[tuple[int, str, int]], bins: int, better: str) -> list[tuple]:
    with duckdb.connect() as connection:
        connection.execute("create table rows (p integer, customer_id varchar, measure decimal(18, 2))")
        connection.executemany("insert into rows values (?, ?, ?)", rows)
        return connection.sql(render_scoring(bins, better)).fetchall()


def test_hand_checked_partition() -> None:
    # 7 rows, 3 bins: buckets of 3, 2, 2 rows, ends at positions 3 and 5.
    # Ranked by measure then id: b(1) c(1) a(2) | e(2) f(2) | d(3) g(3). The
    # value 2 straddles the first boundary and is split by customer_id; in
    # byte order 'B' sorts before 'a', so the lone 'B' with 3 comes first.
    rows = [(1, "a", 2), (1, "b", 1), (1, "c", 1), (1, "d", 3), (1, "e", 2), (1, "f", 2), (1, "g", 3),
            (2, "B", 3), (2, "a", 3)]
    scores = {(p, customer): boundary for p, customer, _, boundary, _ in score(rows, 3, "higher")}
    assert scores == {(1, "b"): 1, (1, "c"): 1, (1, "a"): 1, (1, "e"): 2, (1, "f"): 2, (1, "d"): 3, (1, "g"): 3,
                      (2, "B"): 1, (2, "a"): 2}
    lower = {(p, customer): boundary for p, customer, _, boundary, _ in score(rows, 3, "lower")}
    assert lower[(1, "d")] == 1 and lower[(1, "b")] == 3 and lower[(2, "B")] == 1


def generated_partitions(seed: int, bins: int) -> list[tuple[int, str, int]]:
    generator = random.Random(seed)
    sizes = [1, 2, bins - 1, bins, bins + 1, 2 * bins, 2 * bins + 1, 3 * bins - 1, 97, 250]
    rows = []
    for partition, size in enumerate(sizes):
        distinct_values = generator.choice([1, 2, 3, size, 10 * size])  # one shared value up to no ties
        ids = generator.sample(range(10 * size + 10), size)
        for number in ids:
            # Mixed case and lengths, so binary order differs from numeric or folded order.
            customer_id = generator.choice(["C", "c", "x", "Z"]) + str(number)
            rows.append((partition, customer_id, generator.randrange(distinct_values)))
    return rows


@pytest.mark.parametrize("bins", range(2, 11))
@pytest.mark.parametrize("better", ["higher", "lower"])
def test_equals_the_window_ntile_on_generated_partitions(bins: int, better: str) -> None:
    for seed in range(3):
        rows = generated_partitions(seed * 100 + bins, bins)
        scored = score(rows, bins, better)
        assert len(scored) == len(rows)
        differing = [row for row in scored if row[3] != row[4]]
        assert not differing, differing[:5]
        assert {row[3] for row in scored} == set(range(1, bins + 1))
