"""The dialect's INSERT, shared by the repositories that upsert."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

# Both dialects' INSERTs have the ON CONFLICT methods the repositories call.
DialectInsert = Callable[[Any], postgresql.Insert | sqlite.Insert]


def insert_for(session: AsyncSession) -> DialectInsert:
    """The dialect's INSERT, which knows ON CONFLICT on both SQLite and PostgreSQL."""
    dialect = session.get_bind().dialect.name
    return postgres_insert if dialect == "postgresql" else sqlite_insert
