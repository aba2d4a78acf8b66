"""DuckDB's memory_limit grows with the purchase input (issue 11)."""

from __future__ import annotations

import pytest

from rfm_segmentation.dbt_plugin import Plugin
from rfm_segmentation.memory import memory_limit_for_lines

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("lines", "limit"), [
    (0, "1GB"), (29_583, "1GB"), (9_791_601, "1GB"), (25_000_000, "1GB"), (25_000_001, "2GB"),
    (97_825_610, "4GB"), (100_000_001, "5GB"),
])
def test_one_gigabyte_per_25_million_lines(lines: int, limit: str) -> None:
    assert memory_limit_for_lines(lines) == limit


@pytest.mark.parametrize(("configured", "expected"), [("auto", "4GB"), ("AUTO", "4GB"), ("", "4GB"), ("6GB", "")])
def test_the_profile_can_fix_the_limit(configured: str, expected: str) -> None:
    plugin = Plugin.__new__(Plugin)
    plugin.initialize({"memory_limit": configured})
    assert plugin.memory_limit_for_dbt(97_825_610) == expected
