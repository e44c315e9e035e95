"""Secrets a deployment makes for itself and keeps in its database (not about anyone)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DeploymentSecret


class SecretRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_or_create(self, name: str, make: Callable[[], str], now: datetime) -> str:
        """The secret called `name`, made with `make` if there is none yet. Replicas starting
        together agree: the first insert wins and everyone reads what it wrote."""
        dialect = self.session.get_bind().dialect.name
        insert = postgres_insert if dialect == "postgresql" else sqlite_insert
        await self.session.execute(
            insert(DeploymentSecret)
            .values(name=name, value=make(), created_at=now)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        value = await self.session.scalar(
            select(DeploymentSecret.value).where(DeploymentSecret.name == name)
        )
        if value is None:
            raise AssertionError(f"the secret {name!r} was neither found nor made")
        return value
