"""Mutation runner: do the tests notice when a rule is broken?

Copies the project (tracked and untracked files that git does not ignore) to a
temporary folder, then for each mutation of mutations.yml replaces one exact
piece of text in one file, runs the mutation's check against the copy, and
puts the file back. A check that still passes means the mutation SURVIVED: no
test guards that rule. Each distinct check first runs once on the unmutated
copy; a check that fails there proves nothing and its mutations are reported
as such.

Not collected by pytest (no test_ prefix) and not run in CI: run it before
resolving an issue that changes rules, e.g.

    .venv/bin/python tests/mutations/run_mutations.py                 # all
    .venv/bin/python tests/mutations/run_mutations.py --only issue19-returns-excluded
    .venv/bin/python tests/mutations/run_mutations.py --list

A check is either `pytest: [args...]` (run with this interpreter, from the
copy) or `dbt: [args...]` (the venv's dbt, from the copy, with its own DuckDB
file and export folder). Exit status: 0 when every mutation is killed, 1 when
one survives or a baseline fails, 2 for a bad mutations file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_LIST = Path(__file__).with_name("mutations.yml")
DBT = Path(sys.executable).with_name("dbt")
CHECK_TIMEOUT_SECONDS = 1800


@dataclass(frozen=True)
class Check:
    tool: str  # "pytest" or "dbt"
    args: tuple[str, ...]

    def label(self) -> str:
        return f"{self.tool} {' '.join(self.args)}"


@dataclass(frozen=True)
class Mutation:
    id: str
    file: str
    old: str
    new: str
    check: Check
    why: str


@dataclass
class Outcome:
    mutation: Mutation
    verdict: str  # killed | SURVIVED | invalid | baseline failed | timeout
    seconds: float
    detail: str = ""


class MutationFileError(ValueError):
    pass


def load_mutations(path: Path) -> list[Mutation]:
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise MutationFileError(f"cannot read {path}: {error}") from error
    mutations = []
    seen = set()
    for index, entry in enumerate(document.get("mutations") or []):
        where = f"{path}, mutation {index + 1}"
        missing = [key for key in ("id", "file", "old", "new", "check") if key not in entry]
        if missing:
            raise MutationFileError(f"{where}: missing {', '.join(missing)}")
        if entry["id"] in seen:
            raise MutationFileError(f"{where}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        check = entry["check"]
        if not isinstance(check, dict) or len(check) != 1 or next(iter(check)) not in ("pytest", "dbt"):
            raise MutationFileError(f"{where} ({entry['id']}): check must be {{pytest: [...]}} or {{dbt: [...]}}")
        tool, args = next(iter(check.items()))
        if entry["old"] == entry["new"]:
            raise MutationFileError(f"{where} ({entry['id']}): old and new are the same text")
        mutations.append(Mutation(entry["id"], entry["file"], entry["old"], entry["new"],
                                  Check(tool, tuple(str(arg) for arg in args)), entry.get("why", "")))
    if not mutations:
        raise MutationFileError(f"{path}: no mutations listed")
    return mutations


def copy_project(target: Path) -> Path:
    """The working tree as git sees it (uncommitted changes included), without ignored files."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=PROJECT_DIR, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = PROJECT_DIR / name
        if source.is_file():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    return target


def run_check(check: Check, copy: Path, scratch: Path) -> tuple[bool, str]:
    """(passed, tail of the output) for one run of the check against the copy."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    if check.tool == "pytest":
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--basetemp",
                   str(scratch / "pytest"), *check.args]
    else:
        shutil.rmtree(scratch / "dbt", ignore_errors=True)
        env["RFM_DUCKDB_PATH"] = str(scratch / "dbt" / "rfm.duckdb")
        (scratch / "dbt").mkdir(parents=True)
        variables = json.dumps({"export_path": str(scratch / "dbt" / "exports")})
        command = [str(DBT), *check.args, "--profiles-dir", str(copy), "--target-path", str(scratch / "dbt" / "target"),
                   "--log-path", str(scratch / "dbt" / "logs")]
        if "--vars" not in check.args:
            command += ["--vars", variables]
    try:
        done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True,
                              timeout=CHECK_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return False, "timeout"
    return done.returncode == 0, (done.stdout + done.stderr)[-1500:]


def apply(copy: Path, mutation: Mutation) -> str | None:
    """Apply the mutation in place; return the original text, or None when `old` is not there exactly once."""
    path = copy / mutation.file
    if not path.is_file():
        return None
    original = path.read_text()
    if original.count(mutation.old) != 1:
        return None
    path.write_text(original.replace(mutation.old, mutation.new, 1))
    return original


def run(mutations: list[Mutation], baseline: bool, progress: Any = print) -> list[Outcome]:
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="rfm-mutations-") as folder:
        copy = copy_project(Path(folder) / "project")
        scratch = Path(folder) / "scratch"
        scratch.mkdir()
        broken_baselines: dict[Check, str] = {}
        if baseline:
            for check in dict.fromkeys(m.check for m in mutations):
                started = time.perf_counter()
                passed, output = run_check(check, copy, scratch)
                progress(f"baseline {'ok' if passed else 'FAILED'} in {time.perf_counter() - started:.0f}s: "
                         f"{check.label()}")
                if not passed:
                    broken_baselines[check] = output
        for mutation in mutations:
            started = time.perf_counter()
            if mutation.check in broken_baselines:
                outcomes.append(Outcome(mutation, "baseline failed", 0.0, broken_baselines[mutation.check]))
            else:
                original = apply(copy, mutation)
                if original is None:
                    outcomes.append(Outcome(mutation, "invalid", 0.0,
                                            f"the old text is not in {mutation.file} exactly once"))
                else:
                    try:
                        passed, output = run_check(mutation.check, copy, scratch)
                    finally:
                        (copy / mutation.file).write_text(original)
                    verdict = "timeout" if output == "timeout" else ("SURVIVED" if passed else "killed")
                    outcomes.append(Outcome(mutation, verdict, time.perf_counter() - started,
                                            "" if verdict == "killed" else output))
            last = outcomes[-1]
            progress(f"{last.verdict:>15}  {last.seconds:6.0f}s  {mutation.id}")
    return outcomes


def report(outcomes: list[Outcome]) -> str:
    lines = ["", f"{'verdict':>15}  {'time':>7}  mutation (check)"]
    for outcome in outcomes:
        lines.append(f"{outcome.verdict:>15}  {outcome.seconds:6.0f}s  {outcome.mutation.id} "
                     f"({outcome.mutation.check.label()})")
    for outcome in outcomes:
        if outcome.verdict != "killed":
            lines += ["", f"{outcome.verdict}: {outcome.mutation.id}: {outcome.mutation.file}",
                      f"  why it matters: {outcome.mutation.why}", f"  - {outcome.mutation.old!r}",
                      f"  + {outcome.mutation.new!r}", *("  | " + line for line in outcome.detail.splitlines()[-15:])]
    killed = sum(outcome.verdict == "killed" for outcome in outcomes)
    total_seconds = sum(outcome.seconds for outcome in outcomes)
    lines.append(f"\n{killed}/{len(outcomes)} mutations killed in {total_seconds:.0f}s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutations", type=Path, default=DEFAULT_LIST, help="the YAML list (default: %(default)s)")
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these mutation ids")
    parser.add_argument("--list", action="store_true",
                        help="list the mutations, saying whether each applies to the project, and exit")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated run of each check")
    args = parser.parse_args(argv)
    try:
        mutations = load_mutations(args.mutations)
    except MutationFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.only:
        unknown = set(args.only) - {m.id for m in mutations}
        if unknown:
            print(f"error: no mutation with id {', '.join(sorted(unknown))} in {args.mutations}", file=sys.stderr)
            return 2
        mutations = [m for m in mutations if m.id in args.only]
    if args.list:
        for mutation in mutations:
            path = PROJECT_DIR / mutation.file
            found = path.read_text().count(mutation.old) if path.is_file() else 0
            state = "applies" if found == 1 else f"INVALID: old text found {found} times"
            print(f"{mutation.id}: {mutation.file} [{state}] ({mutation.check.label()})\n    {mutation.why}")
        return 0
    outcomes = run(mutations, baseline=not args.no_baseline)
    print(report(outcomes))
    return 0 if all(outcome.verdict == "killed" for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
