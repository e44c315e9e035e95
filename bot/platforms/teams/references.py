"""Stored conversation references: where the bot may write without being spoken to first."""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot.clock import Clock
from bot.inbound import MAX_CONVERSATION_ID_CHARS, storable_id
from bot.platforms.teams.requests import (
    CHANNEL,
    PERSONAL,
    PLATFORM,
    channel_id_of,
    conversation_key,
    person_of,
    scope_of,
    tenant_of,
)
from storage.database import Database
from storage.repositories import TeamsReferenceRepository, UserRepository


def reference_of(activity: Activity) -> ConversationReference:
    """The reference to store for an activity's conversation.

    A channel's reference points at the channel itself, not the thread the activity was
    in, so that a later post there starts a new thread, and a shared conversation's
    reference names nobody.
    """
    reference = TurnContext.get_conversation_reference(activity)
    tenant = tenant_of(activity)
    if scope_of(activity) == CHANNEL:
        reference.conversation.id = channel_id_of(activity)
    if scope_of(activity) != PERSONAL:
        # The reference would keep whoever spoke last in a shared conversation; posting
        # there needs only the conversation, and nobody's identity should stay behind.
        reference.user = None
    if tenant:
        reference.conversation.tenant_id = tenant
    reference.activity_id = None
    return reference


def dump_reference(reference: ConversationReference) -> str:
    return json.dumps(reference.serialize(), separators=(",", ":"), sort_keys=True)


def load_reference(data: str) -> ConversationReference:
    return ConversationReference().deserialize(json.loads(data))


@dataclass(frozen=True, slots=True)
class StoredReference:
    reference: ConversationReference
    tenant_id: str
    service_url: str


# How long this process trusts its memory that a conversation's reference is stored as it
# is, before it looks again: another replica, or `forget me`, may have removed it since.
RECHECK_AFTER = timedelta(minutes=5)
REMEMBERED = 10_000


class _Checked:
    """When each (conversation, reference) was last seen stored, by a keyed digest of the
    two, so that nothing held in memory names a person or a conversation."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self.size = size
        self._salt = os.urandom(16)
        self._at: OrderedDict[bytes, datetime] = OrderedDict()

    def digest(self, key: str, serialised: str) -> bytes:
        return hashlib.blake2b(
            f"{key}\n{serialised}".encode(), key=self._salt, digest_size=16
        ).digest()

    def fresh(self, digest: bytes, now: datetime) -> bool:
        checked = self._at.get(digest)
        return checked is not None and timedelta(0) <= now - checked < RECHECK_AFTER

    def mark(self, digest: bytes, now: datetime) -> None:
        self._at[digest] = now
        self._at.move_to_end(digest)
        while len(self._at) > self.size:
            self._at.popitem(last=False)

    def clear(self) -> None:
        self._at.clear()


class ReferenceStore:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock
        self._checked = _Checked()

    async def remember(self, activity: Activity) -> bool:
        """Store (or refresh) the reference of the activity's conversation; True if it is new.

        Every message brings the reference, and it almost never changes: once seen stored,
        it is not looked up again for `RECHECK_AFTER`, so a message turn costs no
        transaction of its own.
        """
        key = conversation_key(activity)
        if not storable_id(key, MAX_CONVERSATION_ID_CHARS) or not storable_id(
            person_of(activity).id
        ):
            # Not storable: the router refuses the message itself, kindly.
            return False
        scope = scope_of(activity)
        reference = reference_of(activity)
        now = self.clock.now()
        serialised = dump_reference(reference)
        digest = self._checked.digest(key, serialised)
        if self._checked.fresh(digest, now):
            return False
        stored_now = await self._store(activity, key, scope, serialised, now)
        self._checked.mark(digest, now)
        return stored_now

    async def _store(
        self, activity: Activity, key: str, scope: str, serialised: str, now: datetime
    ) -> bool:
        async with self.database.transaction() as session:
            repository = TeamsReferenceRepository(session)
            stored = await repository.get(key)
            if stored is not None and stored.reference == serialised:
                # The usual case, every message: nothing changed, so nothing is written
                # (writes are what a busy SQLite database queues on).
                return False
            user_id = None
            if scope == PERSONAL:
                person = person_of(activity)
                # Tied to the user row so `forget me` takes the personal chat's reference too.
                user = await UserRepository(session).touch(
                    PLATFORM, person.id, person.display_name, now
                )
                user_id = user.id
            return await repository.put(
                key,
                scope,
                serialised,
                service_url=activity.service_url or "",
                tenant_id=tenant_of(activity),
                now=now,
                user_id=user_id,
            )

    async def remember_reference(
        self, key: str, scope: str, reference: ConversationReference, tenant_id: str
    ) -> None:
        """Store a reference the bot made itself (a personal chat it opened)."""
        # It replaces what an activity brought: that one must be written again when next seen.
        self._checked.clear()
        async with self.database.transaction() as session:
            user_id = None
            if scope == PERSONAL:
                platform, _, external_id = key.partition(":")
                user = await UserRepository(session).touch(
                    platform, external_id, "", self.clock.now()
                )
                user_id = user.id
            await TeamsReferenceRepository(session).put(
                key,
                scope,
                dump_reference(reference),
                service_url=reference.service_url or "",
                tenant_id=tenant_id,
                now=self.clock.now(),
                user_id=user_id,
            )

    async def forget(self, activity: Activity) -> bool:
        self._checked.clear()
        async with self.database.transaction() as session:
            return await TeamsReferenceRepository(session).forget(conversation_key(activity))

    async def get(self, key: str) -> StoredReference | None:
        async with self.database.transaction() as session:
            row = await TeamsReferenceRepository(session).get(key)
            if row is None:
                return None
            return StoredReference(load_reference(row.reference), row.tenant_id, row.service_url)

    async def latest(self, tenant_id: str = "") -> StoredReference | None:
        """Any recent reference (in the tenant when given): its service URL and bot account
        are what opening a new conversation needs."""
        async with self.database.transaction() as session:
            row = await TeamsReferenceRepository(session).latest(tenant_id)
            if row is None:
                return None
            return StoredReference(load_reference(row.reference), row.tenant_id, row.service_url)
