"""The segment rules: every catalogue segment is reachable, every cell maps to
a catalogue segment, and other bin counts behave."""

from __future__ import annotations

import json

import pytest

from helpers.workspace import PROJECT_DIR, catalogue_segments


def documented_grid() -> dict[tuple[int, int], str]:
    """(R, FM) -> segment, read from the README's "Segment rules" table."""
    lines = (PROJECT_DIR / "README.md").read_text().split("## Segment rules", 1)[1].splitlines()
    grid = {}
    for line in lines:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].strip("*").isdigit():
            grid.update({(int(cells[0].strip("*")), fm): segment for fm, segment in enumerate(cells[1:], start=1)})
    assert len(grid) == 25, grid
    return grid


@pytest.mark.integration
def test_grid_maps_every_cell_as_documented(workspace) -> None:
    rows = workspace.show("""
        select r.r, fm.fm, {{ rfm_segment('r.r', 'fm.fm') }} as segment
        from (select unnest(range(1, 6)) as r) as r cross join (select unnest(range(1, 6)) as fm) as fm""")
    assert len(rows) == 25
    got = {(row["r"], row["fm"]): row["segment"] for row in rows}
    assert got == documented_grid()
    reached = set(got.values())
    unscored = {"No Net Spend"}
    assert reached == set(catalogue_segments()) - unscored
    assert "Unclassified" not in reached


@pytest.mark.integration
def test_quintile_mapping_for_every_bin_count(workspace) -> None:
    """Scores 1..N map onto 1..5 monotonically, lowest to 1, highest to 5, for N = 2..10."""
    sql = " union all ".join(
        f"select {n} as bins, s as score, {{{{ rfm_score_to_quintile('s', {n}) }}}} as quintile "
        f"from (select unnest(range(1, {n + 1})) as s)" for n in range(2, 11))
    rows = workspace.show(sql)
    for bins in range(2, 11):
        mapped = [row["quintile"] for row in sorted(rows, key=lambda r: r["score"]) if row["bins"] == bins]
        assert len(mapped) == bins
        assert mapped[0] == 1 and mapped[-1] == 5, (bins, mapped)
        assert mapped == sorted(mapped), (bins, mapped)
        if bins == 10:  # the documented equivalence with ceil(score * 5 / 10)
            assert mapped == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


@pytest.mark.integration
def test_three_bins_keep_the_grid_corners(workspace) -> None:
    workspace.build({"rfm_score_bins": 3})
    segments = {segment for (segment,) in workspace.query("select distinct segment from fct_customer_rfm")}
    assert {"Champions", "Lost", "New Customers", "Cannot Lose Them"} <= segments
    assert workspace.query("select min(recency_score), max(recency_score) from fct_customer_rfm") == [(1, 3)]


@pytest.mark.integration
def test_ten_bins_with_the_tie_aware_method_builds_and_passes(workspace) -> None:
    workspace.build({"rfm_score_bins": 10, "rfm_scoring_method": "percent_rank"})
    assert workspace.query("select min(frequency_score), max(monetary_score) from fct_customer_rfm") == [(1, 10)]
    # Tie-aware: equal order counts always share a score.
    assert workspace.query("""
        select count(*) from (select order_count from fct_customer_rfm where is_scored
                              group by order_count having count(distinct frequency_score) > 1)""") == [(0,)]
    assert workspace.query("select count(distinct segment) from fct_customer_rfm")[0][0] >= 10
    assert workspace.manifest()["rfm_score_bins"] == 10


@pytest.mark.integration
def test_docs_generate(sample_build) -> None:
    result = sample_build.dbt("docs", "generate")
    assert result.ok, result.output[-3000:]
    catalog = json.loads((sample_build.root / "target" / "catalog.json").read_text())
    assert "model.rfm_segmentation.fct_customer_rfm" in catalog["nodes"]
    manifest = json.loads((sample_build.root / "target" / "manifest.json").read_text())
    model = manifest["nodes"]["model.rfm_segmentation.fct_customer_rfm"]
    assert model["config"]["contract"]["enforced"] is True
    assert all(column["description"] for column in model["columns"].values())


@pytest.mark.unit
def test_project_settings() -> None:
    project = (PROJECT_DIR / "dbt_project.yml").read_text()
    assert "send_anonymous_usage_stats: false" in project
    assert not (PROJECT_DIR / "packages.yml").exists() and not (PROJECT_DIR / "dependencies.yml").exists()
    assert '"dbt-core>=1.11,<1.12"' in (PROJECT_DIR / "pyproject.toml").read_text()
