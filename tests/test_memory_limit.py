"""DuckDB's memory_limit grows with the purchase input, within half the machine's memory (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rfm_segmentation import memory
from rfm_segmentation.dbt_plugin import Plugin
from rfm_segmentation.memory import machine_memory_bytes, memory_limit_for_lines

pytestmark = pytest.mark.unit

GIB = 2**30


@pytest.mark.parametrize(("lines", "limit"), [
    (0, "1GB"), (-5, "1GB"), (29_583, "1GB"), (9_791_601, "1GB"), (12_500_000, "1GB"), (12_500_001, "2GB"),
    (97_825_610, "8GB"), (100_000_001, "9GB"),
])
def test_one_gigabyte_per_12_5_million_lines(lines: int, limit: str) -> None:
    assert memory_limit_for_lines(lines, machine_bytes=64 * GIB) == limit


@pytest.mark.parametrize(("machine_bytes", "limit"), [
    (64 * GIB, "8GB"),          # the rule's own value
    (16 * GIB, "8GB"),          # exactly half
    (12 * GIB, "6GB"),          # half of the machine, not the rule's 8GB
    (int(7.5 * GIB), "3GB"),    # half, rounded down to a whole GB
    (1 * GIB, "1GB"),           # never under the minimum
])
def test_never_more_than_half_the_machine(machine_bytes: int, limit: str) -> None:
    assert memory_limit_for_lines(97_825_610, machine_bytes=machine_bytes) == limit


def test_a_cgroup_limit_lowers_the_machine_memory(tmp_path: Path) -> None:
    physical = machine_memory_bytes(tmp_path / "no-cgroup-here")
    assert physical > 0
    unlimited = tmp_path / "unlimited"
    unlimited.write_text("max\n")
    assert machine_memory_bytes(unlimited) == physical
    limited = tmp_path / "limited"
    limited.write_text(f"{GIB}\n")
    assert machine_memory_bytes(limited) == min(physical, GIB)


def test_unreadable_memory_means_no_ceiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No os.sysconf and no Windows API (as on a platform that has neither): the rule alone.
    monkeypatch.delattr(memory.os, "sysconf")
    assert memory.physical_memory_bytes() is None
    assert machine_memory_bytes(tmp_path / "no-cgroup-here") is None
    monkeypatch.setattr(memory, "CGROUP_MEMORY_MAX", tmp_path / "no-cgroup-here")
    assert memory_limit_for_lines(300_000_000) == "24GB"
    limited = tmp_path / "limited"
    limited.write_text(f"{4 * GIB}\n")
    assert machine_memory_bytes(limited) == 4 * GIB


@pytest.mark.parametrize("configured", ["auto", "AUTO", ""])
def test_auto_lets_the_hook_choose(configured: str) -> None:
    plugin = Plugin.__new__(Plugin)
    plugin.initialize({"memory_limit": configured})
    assert plugin.memory_limit_for_dbt(97_825_610) == memory_limit_for_lines(97_825_610)


def test_the_profile_can_fix_the_limit() -> None:
    plugin = Plugin.__new__(Plugin)
    plugin.initialize({"memory_limit": "6GB"})
    assert plugin.memory_limit_for_dbt(97_825_610) == ""
