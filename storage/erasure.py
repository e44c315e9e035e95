"""Queries for a person leaving something behind: a session's breakouts, a network's
sessions, or (with `forget me`) everything, including the places that hold them by name.

Like every repository these take a session and never commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    BreakoutPick,
    BreakoutTopic,
    NetworkSession,
    SessionRegistration,
)
from storage.repositories import REGISTERED, WAITLISTED


async def held_session_ids(
    session: AsyncSession, user_id: int, now: datetime, network_id: int | None = None
) -> list[int]:
    """Sessions still to come where the person has a place or waits for one, by id."""
    query = (
        select(NetworkSession.id)
        .join(SessionRegistration, SessionRegistration.session_id == NetworkSession.id)
        .where(
            SessionRegistration.user_id == user_id,
            SessionRegistration.status.in_((REGISTERED, WAITLISTED)),
            NetworkSession.starts_at > now,
        )
        .order_by(NetworkSession.id)
    )
    if network_id is not None:
        query = query.where(NetworkSession.network_id == network_id)
    return list((await session.scalars(query)).all())


async def leave_breakouts(session: AsyncSession, session_id: int, user_id: int) -> bool:
    """Drop the person's room picks, host offers and note-taking at one session.

    A co-host left alone becomes the host. Topics they proposed stay: the proposal is the
    room's, and others may have picked it. Returns True when anything changed.
    """
    picks = await session.execute(
        delete(BreakoutPick).where(
            BreakoutPick.session_id == session_id, BreakoutPick.user_id == user_id
        )
    )
    changed = bool(picks.rowcount)
    topics = (
        await session.scalars(
            select(BreakoutTopic).where(
                BreakoutTopic.session_id == session_id,
                (BreakoutTopic.host_user_id == user_id)
                | (BreakoutTopic.cohost_user_id == user_id)
                | (BreakoutTopic.notes_user_id == user_id),
            )
        )
    ).all()
    for topic in topics:
        if topic.host_user_id == user_id:
            topic.host_user_id, topic.cohost_user_id = topic.cohost_user_id, None
        elif topic.cohost_user_id == user_id:
            topic.cohost_user_id = None
        if topic.notes_user_id == user_id:
            topic.notes_user_id = None
        changed = True
    if changed:
        await session.flush()
    return changed


async def clear_needs(session: AsyncSession, user_id: int, network_id: int) -> int:
    """Remove the access needs the person gave for any of one network's sessions."""
    of_network = select(NetworkSession.id).where(NetworkSession.network_id == network_id)
    result = await session.execute(
        update(SessionRegistration)
        .where(
            SessionRegistration.user_id == user_id,
            SessionRegistration.session_id.in_(of_network),
            SessionRegistration.access_needs.is_not(None),
        )
        .values(access_needs=None, needs_delete_after=None)
    )
    return int(result.rowcount or 0)
