"""Fixtures of the core tests that start real processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.replicas import new_postgres_database


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    yield from new_postgres_database()
