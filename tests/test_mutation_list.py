"""The mutation list stays usable: every mutation still applies to the project
(so editing a rule's SQL means updating its mutation), and the runner reports
a surviving mutation and refuses a bad list. The mutations themselves are run
by hand (tests/mutations/run_mutations.py), not here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from helpers.workspace import PROJECT_DIR

pytestmark = pytest.mark.unit


def load_runner() -> ModuleType:
    path = PROJECT_DIR / "tests" / "mutations" / "run_mutations.py"
    spec = importlib.util.spec_from_file_location("run_mutations", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


runner = load_runner()


def test_every_listed_mutation_applies_exactly_once() -> None:
    mutations = runner.load_mutations(runner.DEFAULT_LIST)
    assert {"issue19-returns-excluded", "issue19-percent-rank-recency-direction",
            "issue19-summary-average-recency"} <= {m.id for m in mutations}
    for mutation in mutations:
        text = (PROJECT_DIR / mutation.file).read_text()
        assert text.count(mutation.old) == 1, f"{mutation.id}: old text not found exactly once in {mutation.file}"
        if mutation.check.tool == "pytest":
            target = PROJECT_DIR / mutation.check.args[0].split("::")[0]
            assert target.is_file(), f"{mutation.id}: no test file {target}"


def test_a_surviving_mutation_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mutation whose check still passes is SURVIVED and fails the run; one whose check fails is killed."""
    checks = iter([(True, ""), (True, ""), (False, "1 failed")])  # baseline, survivor, killed
    monkeypatch.setattr(runner, "run_check", lambda check, copy, scratch: next(checks))
    monkeypatch.setattr(runner, "copy_project", lambda target: _tiny_project(target))
    check = runner.Check("pytest", ("tests/test_x.py",))
    mutations = [runner.Mutation("survivor", "rule.sql", "a > b", "a >= b", check, "boundary"),
                 runner.Mutation("caught", "rule.sql", "then 'x'", "then 'y'", check, "label")]
    outcomes = runner.run(mutations, baseline=True, progress=lambda _: None)
    assert [(o.mutation.id, o.verdict) for o in outcomes] == [("survivor", "SURVIVED"), ("caught", "killed")]
    assert "1/2 mutations killed" in runner.report(outcomes)


def _tiny_project(target: Path) -> Path:
    target.mkdir(parents=True)
    (target / "rule.sql").write_text("select case when a > b then 'x' end")
    return target


def test_a_mutation_that_does_not_apply_is_invalid_not_killed(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "run_check", lambda check, copy, scratch: (False, "would look killed"))
    monkeypatch.setattr(runner, "copy_project", lambda target: _tiny_project(target))
    check = runner.Check("pytest", ("tests/test_x.py",))
    outcomes = runner.run([runner.Mutation("stale", "rule.sql", "a < b", "a <= b", check, "")], baseline=False,
                          progress=lambda _: None)
    assert [o.verdict for o in outcomes] == ["invalid"]


def test_a_bad_list_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "mutations.yml"
    bad.write_text("mutations:\n  - {id: m1, file: a.sql, old: x, new: y, check: {make: [test]}}\n")
    with pytest.raises(runner.MutationFileError, match=r"m1\): check must be"):
        runner.load_mutations(bad)
    assert runner.main(["--mutations", str(bad)]) == 2
