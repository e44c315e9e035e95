"""The rows behind leads' long lists (members, registrations, access needs), as plain values.

A network can have thousands of members and a session a thousand registrations; each
page of those lists, and its CSV file, needs only a few columns. Reading them as plain
rows, not as ORM entities, keeps a page of a 2,000-person list quick. Like every
repository, this takes a session and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Membership, SessionRegistration, User


@dataclass(frozen=True, slots=True)
class MemberRow:
    name: str
    platform: str
    external_id: str
    role: str
    joined_at: datetime


@dataclass(frozen=True, slots=True)
class HolderRow:
    """Someone with a place at a session, or waiting for one."""

    name: str
    platform: str
    external_id: str
    status: str
    attended: bool
    registered_at: datetime
    access_needs: str | None
    needs_delete_after: datetime | None

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.external_id}"


class ListingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def members(self, network_id: int) -> list[MemberRow]:
        """Everyone in a network: members first, then allies, each by name."""
        rows = await self.session.execute(
            select(
                User.display_name,
                User.platform,
                User.external_id,
                Membership.role,
                Membership.joined_at,
            )
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.network_id == network_id)
            .order_by(Membership.role, User.display_name, User.id)
        )
        return [
            MemberRow(name or external_id, platform, external_id, role, joined_at)
            for name, platform, external_id, role, joined_at in rows.all()
        ]

    async def holders(self, session_id: int, statuses: Sequence[str]) -> list[HolderRow]:
        """Who holds a place at a session (or waits), in order of arrival."""
        rows = await self.session.execute(
            select(
                User.display_name,
                User.platform,
                User.external_id,
                SessionRegistration.status,
                SessionRegistration.attended,
                SessionRegistration.registered_at,
                SessionRegistration.access_needs,
                SessionRegistration.needs_delete_after,
            )
            .join(SessionRegistration, SessionRegistration.user_id == User.id)
            .where(
                SessionRegistration.session_id == session_id,
                SessionRegistration.status.in_(list(statuses)),
            )
            .order_by(SessionRegistration.position)
        )
        return [
            HolderRow(
                name or external_id,
                platform,
                external_id,
                status,
                bool(attended),
                registered_at,
                access_needs,
                delete_after,
            )
            for (
                name,
                platform,
                external_id,
                status,
                attended,
                registered_at,
                access_needs,
                delete_after,
            ) in rows.all()
        ]
