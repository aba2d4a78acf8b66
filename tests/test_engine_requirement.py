"""RFM_REQUIRE_ENGINES turns a missing engine from a skip into a failure, so CI
cannot pass with the PostgreSQL and Spark tests silently skipped."""

from __future__ import annotations

import pytest

from helpers.engines import REQUIRE_ENGINES_VARIABLE, skip_or_fail
from helpers.workspace import PROJECT_DIR

pytestmark = pytest.mark.unit


def test_a_missing_engine_skips_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_ENGINES_VARIABLE, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Java runtime"):
        skip_or_fail("no Java runtime")


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_a_missing_engine_fails_when_required(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(REQUIRE_ENGINES_VARIABLE, value)
    with pytest.raises(pytest.fail.Exception, match="no Java runtime .*RFM_REQUIRE_ENGINES is set"):
        skip_or_fail("no Java runtime")


def test_ci_requires_the_engines() -> None:
    script = (PROJECT_DIR / ".ci" / "run").read_text()
    assert f"export {REQUIRE_ENGINES_VARIABLE}=1" in script
    assert script.index(REQUIRE_ENGINES_VARIABLE) < script.index("make test")
