"""Queries for a person leaving something behind: a session's breakouts, a network's
sessions, or (with `forget me`) everything, including the places that hold them by name.

Like every repository these take a session and never commit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Announcement,
    AuditEntry,
    BreakoutPick,
    BreakoutTopic,
    CalendarPostSetting,
    KnowledgeRecord,
    NetworkSession,
    OutboxPost,
    SessionRegistration,
    TeamsConversationReference,
)
from storage.repositories import ERASED
from storage.rowcount import rowcount
from storage.statuses import RegistrationStatus


async def held_session_ids(
    session: AsyncSession, user_id: int, now: datetime, network_id: int | None = None
) -> list[int]:
    """Sessions still to come where the person has a place or waits for one, by id."""
    query = (
        select(NetworkSession.id)
        .join(SessionRegistration, SessionRegistration.session_id == NetworkSession.id)
        .where(
            SessionRegistration.user_id == user_id,
            SessionRegistration.status.in_(
                (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
            ),
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
    changed = bool(rowcount(picks))
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
    return int(rowcount(result) or 0)


async def announcements_written_by(session: AsyncSession, key: str) -> list[int]:
    """The announcements a person wrote: their posts hold the person's words."""
    rows = await session.scalars(select(Announcement.id).where(Announcement.created_by == key))
    return list(rows)


async def delete_posts_under(session: AsyncSession, key_prefixes: Sequence[str]) -> None:
    """Delete every post under these outbox key prefixes, sent or not."""
    for key_prefix in key_prefixes:
        under = OutboxPost.schedule_key.startswith(key_prefix, autoescape=True)
        await session.execute(delete(OutboxPost).where(under))


async def erase_traces(session: AsyncSession, user_external_id: str, key: str) -> None:
    """Remove what holds the person outside rows that point at them.

    - which knowledge-base entries of theirs the audit log names;
    - their name and wording on calendar settings they changed (the setting stays);
    - the speaker kept in Teams channel and group-chat references (only the conversation
      is needed to post there).
    """
    # A knowledge-base entry's id is made from its title, their words: the audit log
    # keeps that something happened to an entry, not which.
    slugs = (
        await session.scalars(select(KnowledgeRecord.slug).where(KnowledgeRecord.updated_by == key))
    ).all()
    if slugs:
        await session.execute(
            update(AuditEntry)
            .where(AuditEntry.subject.in_([f"kb:{slug}" for slug in slugs]))
            .values(subject=ERASED)
        )
    # The choice to post a date (and when) is the network's; the wording was theirs.
    await session.execute(
        update(CalendarPostSetting)
        .where(CalendarPostSetting.updated_by == key)
        .values(updated_by=ERASED, message="")
    )
    if not key.startswith("teams:"):
        return
    shared = await session.scalars(
        select(TeamsConversationReference).where(
            TeamsConversationReference.user_id.is_(None),
            TeamsConversationReference.reference.contains(user_external_id, autoescape=True),
        )
    )
    for row in shared.all():
        row.reference = without_speaker(row.reference)


def without_speaker(reference: str) -> str:
    """A stored conversation reference with the person who last spoke there taken out."""
    document = json.loads(reference)
    document.pop("user", None)
    return json.dumps(document, separators=(",", ":"), sort_keys=True)
