"""Starting real `allybot` processes against PostgreSQL: a database of their own, and a clean
environment. No tests here; the `empty_postgres` fixture is in `tests/core/conftest.py`."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator

import asyncpg
import pytest

from tests.conftest import POSTGRES_URL

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="set ALLYBOT_TEST_POSTGRES_URL to start replicas on PostgreSQL"
)


def plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(plain(POSTGRES_URL))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def new_postgres_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards.

    A database, not a schema: processes take the URL from `DATABASE_URL`, and each test's
    advisory locks are then its own.
    """
    name = f"replicas_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    base = plain(POSTGRES_URL).rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(_admin(f'DROP DATABASE "{name}" WITH (FORCE)'))


def process_environment(database_url: str) -> dict[str, str]:
    """This environment without the platform, allybot and database settings, on `database_url`."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "Microsoft", "ALLYBOT_", "DATABASE_URL"))
    }
    return {**clean, "DATABASE_URL": database_url}
