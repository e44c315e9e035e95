"""Network calendar feeds (their tokens, and what each last said about a session) and the
awareness dates confirmed for a year."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AwarenessDateYear, CalendarFeed, CalendarFeedEvent, NetworkSession
from storage.repositories.dialect import insert_for
from storage.statuses import SessionStatus

# 32 random bytes: the URL is the only secret a subscribed calendar can carry.
TOKEN_BYTES = 32
# Compared against when a network has no feed, so a miss takes as long as a wrong token.
_NO_TOKEN = secrets.token_urlsafe(TOKEN_BYTES)


class CalendarFeedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def token_of(self, network_id: int, now: datetime) -> str:
        """The network's feed token, made the first time anyone asks for the link."""
        insert = insert_for(self.session)
        await self.session.execute(
            insert(CalendarFeed)
            .values(
                network_id=network_id,
                token=secrets.token_urlsafe(TOKEN_BYTES),
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=[CalendarFeed.network_id])
        )
        token = await self.session.scalar(
            select(CalendarFeed.token).where(CalendarFeed.network_id == network_id)
        )
        assert token is not None
        return token

    async def rotate(self, network_id: int, now: datetime) -> str:
        """A new token for the network; the old URL stops working at once."""
        await self.session.execute(
            delete(CalendarFeed).where(CalendarFeed.network_id == network_id)
        )
        feed = CalendarFeed(
            network_id=network_id, token=secrets.token_urlsafe(TOKEN_BYTES), created_at=now
        )
        self.session.add(feed)
        await self.session.flush()
        return feed.token

    async def token_matches(self, network_id: int | None, given: str) -> bool:
        """Whether `given` is the network's token, compared in constant time."""
        stored = None
        if network_id is not None:
            stored = await self.session.scalar(
                select(CalendarFeed.token).where(CalendarFeed.network_id == network_id)
            )
        expected = stored if stored is not None else _NO_TOKEN
        same = hmac.compare_digest(expected.encode(), given.encode())
        return stored is not None and same

    async def public_sessions(
        self, network_id: int, start: datetime, end: datetime
    ) -> Sequence[NetworkSession]:
        """The network's sessions anyone may join, starting from `start` to `end`: not
        cancelled, not invitation-only."""
        rows = await self.session.scalars(
            select(NetworkSession)
            .where(
                NetworkSession.network_id == network_id,
                NetworkSession.status == SessionStatus.SCHEDULED,
                NetworkSession.invite_only.is_(False),
                NetworkSession.starts_at >= start,
                NetworkSession.starts_at <= end,
            )
            .order_by(NetworkSession.starts_at, NetworkSession.id)
        )
        return list(rows)

    async def last_shown(self, session_ids: Sequence[int]) -> dict[int, tuple[str, int, datetime]]:
        """What the feed last said of each session: fingerprint, SEQUENCE and when it
        changed. Only reads, so a poll that finds nothing changed writes nothing."""
        if not session_ids:
            return {}
        rows = await self.session.scalars(
            select(CalendarFeedEvent).where(CalendarFeedEvent.session_id.in_(list(session_ids)))
        )
        return {row.session_id: (row.fingerprint, row.sequence, row.changed_at) for row in rows}

    async def sequences(
        self, fingerprints: Mapping[int, str], now: datetime
    ) -> dict[int, tuple[int, datetime]]:
        """Each session's SEQUENCE and when it last changed: a session seen for the first time
        starts at 0, and one whose fingerprint differs from last time goes up by one."""
        if not fingerprints:
            return {}
        insert = insert_for(self.session)
        await self.session.execute(
            insert(CalendarFeedEvent)
            .values(
                [
                    {
                        "session_id": session_id,
                        "fingerprint": digest,
                        "sequence": 0,
                        "changed_at": now,
                    }
                    for session_id, digest in fingerprints.items()
                ]
            )
            .on_conflict_do_nothing(index_elements=[CalendarFeedEvent.session_id])
        )
        rows = await self.session.scalars(
            select(CalendarFeedEvent).where(CalendarFeedEvent.session_id.in_(list(fingerprints)))
        )
        found: dict[int, tuple[int, datetime]] = {}
        for row in rows:
            if row.fingerprint != fingerprints[row.session_id]:
                row.fingerprint = fingerprints[row.session_id]
                row.sequence += 1
                row.changed_at = now
            found[row.session_id] = (row.sequence, row.changed_at)
        await self.session.flush()
        return found


class AwarenessDateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def confirmed(self) -> dict[tuple[str, int], tuple[date, date]]:
        """Every confirmed year: (date id, year) -> (first day, last day)."""
        rows = await self.session.scalars(select(AwarenessDateYear))
        return {(row.date_id, row.year): (row.first_day, row.last_day) for row in rows}

    async def confirm(
        self, date_id: str, year: int, first: date, last: date, now: datetime
    ) -> None:
        existing = await self.session.scalar(
            select(AwarenessDateYear).where(
                AwarenessDateYear.date_id == date_id, AwarenessDateYear.year == year
            )
        )
        if existing is None:
            existing = AwarenessDateYear(date_id=date_id, year=year)
            self.session.add(existing)
        existing.first_day = first
        existing.last_day = last
        existing.updated_at = now
        await self.session.flush()
