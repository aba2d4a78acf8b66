"""Fixtures shared by the test modules; helpers live in tests/helpers/.

Every test belongs to one tier (markers registered in pyproject.toml):
`unit` (pure Python and `dbt parse`), `integration` (DuckDB builds) or
`engines` (PostgreSQL, Spark). A test without one fails collection.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.engines import PostgresServer, postgres_missing_reason, skip_or_fail
from helpers.workspace import Workspace

TIERS = ("unit", "integration", "engines")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        tiers = [name for name in TIERS if item.get_closest_marker(name)]
        if len(tiers) != 1:
            raise pytest.UsageError(f"{item.nodeid}: mark it with exactly one tier of {', '.join(TIERS)} "
                                    f"(found {tiers or 'none'}); see tests/conftest.py")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The default `dbt build` on the committed sample, shared by the read-only tests
    (with the HTML report, as a user's build publishes it)."""
    built = Workspace(tmp_path_factory.mktemp("sample"), publish_report=True)
    built.build()
    return built


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session, stopped (and its folder removed) afterwards."""
    reason = postgres_missing_reason()
    if reason:
        skip_or_fail(f"PostgreSQL tests skipped: {reason}")
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()
