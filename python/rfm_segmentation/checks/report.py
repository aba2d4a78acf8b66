"""The outcome of each expectation, and the summary `rfm check` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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
    notes: list[str] = field(default_factory=list)

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
        lines.extend(self.notes)
        if self.data_docs:
            lines.append(f"Data Docs: {self.data_docs}")
        return "\n".join(lines)


def pair_label(kwargs: dict[str, Any]) -> str | None:
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    return None


def details(expectation_result: Any) -> str:
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
