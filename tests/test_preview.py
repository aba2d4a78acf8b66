"""`rfm preview`: an edited rfm_segment macro applied to the built grid equals a
real rebuild with that macro (in a temporary copy of the project), and the
problems a rebuild would hit are named."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from helpers.workspace import DBT, PROJECT_DIR

RULES = Path("macros") / "rfm" / "rfm_segment.sql"
CHAMPIONS_RULE = "when {{ r }} >= 4 and {{ fm }} >= 4              then 'Champions'"
# R4 FM5 becomes a segment the catalogue lacks; R4 FM4 then matches no rule.
EDITED_RULES = ("when {{ r }} = 5 and {{ fm }} >= 4 then 'Champions'\n"
                "        when {{ r }} = 4 and {{ fm }} = 5 then 'Rising Stars'")
BUILD_VARS = {"publish_exports": False, "demographics_enabled": False, "rfm_history_periods": 0}


def run_preview(project: Path, database: Path) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-m", "rfm_segmentation", "preview", "--project-dir", str(project),
                           "--database", str(database), "--json"], cwd=project, capture_output=True, text=True,
                          timeout=600, check=False, env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    return done.returncode, done.stdout, done.stderr


@pytest.mark.unit
def test_missing_database_is_named(tmp_path: Path) -> None:
    code, _, error = run_preview(PROJECT_DIR, tmp_path / "nowhere.duckdb")
    assert code == 2
    assert f"database '{tmp_path / 'nowhere.duckdb'}' not found: run `dbt build` first" in error
    assert "Traceback" not in error
    assert not (tmp_path / "nowhere.duckdb").exists()  # not created by the attempt


@pytest.mark.unit
def test_missing_grid_is_named(tmp_path: Path) -> None:
    database = tmp_path / "empty.duckdb"
    duckdb.connect(str(database)).close()
    code, _, error = run_preview(PROJECT_DIR, database)
    assert code == 2
    assert "rpt_rfm_grid is not in" in error and "dbt build" in error
    assert "Traceback" not in error


def copy_project(target: Path) -> Path:
    """The project's files (tracked and new, not ignored: no build output)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=PROJECT_DIR,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    for name in listed:
        source = PROJECT_DIR / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def dbt(project: Path, *args: str) -> None:
    done = subprocess.run([str(DBT), *args, "--vars", json.dumps(BUILD_VARS)], cwd=project, capture_output=True,
                          text=True, timeout=900, check=False,
                          env={**os.environ, "RFM_DUCKDB_PATH": str(project / "rfm.duckdb"),
                               "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


def segments(database: Path) -> dict[str, tuple[str, Decimal]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute("select customer_id, segment, monetary_amount from fct_customer_rfm "
                                  "where is_scored").fetchall()
    return {customer: (segment, amount) for customer, segment, amount in rows}


@pytest.mark.integration
def test_preview_of_an_edit_equals_a_rebuild(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    database = project / "rfm.duckdb"
    dbt(project, "build")

    code, output, error = run_preview(project, database)
    assert code == 0, error
    unchanged = json.loads(output)
    assert unchanged["moved_customers"] == 0 and unchanged["problems"] == []
    assert unchanged["customers"] == len(segments(database))

    rules = project / RULES
    assert CHAMPIONS_RULE in rules.read_text()
    rules.write_text(rules.read_text().replace(CHAMPIONS_RULE, EDITED_RULES))
    code, output, error = run_preview(project, database)
    assert code == 1, error
    assert "problem(s) with the edited rules" in error
    previewed = json.loads(output)
    problems = {(problem["kind"], problem["segment"]): problem["cells"] for problem in previewed["problems"]}
    assert problems == {("unclassified", "Unclassified"): [[4, 4]], ("not_in_catalogue", "Rising Stars"): [[4, 5]]}

    before = segments(database)
    dbt(project, "run", "--select", "fct_customer_rfm")  # `run`: the rules' unit test would stop a build
    after = segments(database)
    assert before.keys() == after.keys()
    rebuilt: dict[tuple[str, str], list[Any]] = {}
    for customer, (segment, amount) in before.items():
        totals = rebuilt.setdefault((segment, after[customer][0]), [0, Decimal(0)])
        totals[0] += 1
        totals[1] += amount
    got = {(move["from_segment"], move["to_segment"]): [move["customers"], Decimal(move["revenue"])]
           for move in previewed["moves"] if move["customers"]}
    assert got == rebuilt
    assert previewed["moved_customers"] == sum(count for (old, new), (count, _) in rebuilt.items() if old != new) > 0
