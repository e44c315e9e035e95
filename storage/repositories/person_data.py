"""Everything held about one person: `my data` shows it, `forget me` erases it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    Column,
    ColumnElement,
    Table,
    and_,
    delete,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Announcement,
    AuditEntry,
    Base,
    KnowledgeRecord,
    NetworkLead,
    NetworkSession,
    OutboxPost,
    User,
)


def person_tables() -> list[tuple[Table, Column[int]]]:
    """Every (table, column) that points at users.id: what a person's data is made of.

    Found from the models rather than listed, so tables other features add later are
    exported by `my data` and counted by `forget me` without anyone remembering to.
    """
    found: list[tuple[Table, Column[int]]] = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(key.column.table.name == User.__tablename__ for key in column.foreign_keys):
                found.append((table, column))
    return found


ERASED = "(erased)"


# In `my data` and `forget me`: sessions that name the person as a facilitator.
FACILITATED = "sessions_facilitated"


class PersonDataRepository:
    """Everything held about one person, to show it to them or to erase it."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def export(self, user: User) -> dict[str, list[dict[str, object]]]:
        """table -> the person's rows (column -> value), for every table that refers to them."""
        data: dict[str, list[dict[str, object]]] = {
            User.__tablename__: [_row_dict(user.__table__, user)]  # type: ignore[arg-type]
        }
        for table, condition in _rows_about(user):
            rows = (await self.session.execute(select(table).where(condition))).all()
            if rows:
                data.setdefault(table.name, []).extend(dict(row._mapping) for row in rows)
        facilitated = await self._facilitated(user.key)
        if facilitated:
            # The session, not its whole row: that names the other facilitators too.
            data[FACILITATED] = [
                {"session_id": item.id, "title": item.title, "starts_at": item.starts_at}
                for item in facilitated
            ]
        return data

    async def counts(self, user: User) -> dict[str, int]:
        """table -> how many rows about the person it holds (tables holding none are left out)."""
        counts: dict[str, int] = {}
        for table, condition in _rows_about(user):
            count = await self.session.scalar(
                select(func.count()).select_from(table).where(condition)
            )
            if count:
                counts[table.name] = counts.get(table.name, 0) + int(count)
        facilitated = await self._facilitated(user.key)
        if facilitated:
            counts[FACILITATED] = len(facilitated)
        return counts

    async def _facilitated(self, key: str) -> Sequence[NetworkSession]:
        """Sessions naming the person among their facilitators (a comma-separated list)."""
        listed = literal(",") + func.replace(NetworkSession.facilitators, " ", "") + literal(",")
        return (
            await self.session.scalars(
                select(NetworkSession)
                .where(listed.contains(f",{key},", autoescape=True))
                .order_by(NetworkSession.id)
            )
        ).all()

    async def erase(self, user: User, now: datetime) -> dict[str, int]:
        """Remove the person and everything that refers to them; return what was removed.

        Rows pointing at users.id go with the user (ON DELETE CASCADE); rows that hold the
        person by key (lead roles, scheduled private messages) are deleted here; audit
        entries keep the action and lose the name. One new audit entry records that an
        erasure happened, and nothing more.
        """
        removed = await self.counts(user)
        key = user.key
        for table, condition in _rows_held_by_key(user):
            await self.session.execute(delete(table).where(condition))
        for item in await self._facilitated(key):
            item.facilitators = ",".join(
                kept
                for kept in (part.strip() for part in item.facilitators.split(","))
                if kept and kept != key
            )
        await self.session.execute(
            update(AuditEntry).where(AuditEntry.actor_key == key).values(actor_key=ERASED)
        )
        await self.session.execute(
            update(AuditEntry).where(AuditEntry.subject == key).values(subject=ERASED)
        )
        await self.session.delete(user)
        await self.session.flush()
        self.session.add(AuditEntry(at=now, actor_key=ERASED, action="person_erased", subject=""))
        return removed


def _rows_held_by_key(user: User) -> list[tuple[Table, ColumnElement[bool]]]:
    """Tables that hold a person by their `platform:id` key rather than by users.id."""
    key = user.key
    return [
        (NetworkLead.__table__, NetworkLead.person_key == key),  # type: ignore[list-item]
        (
            OutboxPost.__table__,  # type: ignore[list-item]
            and_(OutboxPost.target_kind == "person", OutboxPost.target_ref == key),
        ),
        # What they wrote as a lead carries their words: it goes with them.
        (Announcement.__table__, Announcement.created_by == key),  # type: ignore[list-item]
        (KnowledgeRecord.__table__, KnowledgeRecord.updated_by == key),  # type: ignore[list-item]
    ]


def _rows_about(user: User) -> list[tuple[Table, ColumnElement[bool]]]:
    by_id = [(table, column == user.id) for table, column in person_tables()]
    return [*by_id, *_rows_held_by_key(user)]


def _row_dict(table: Table, row: object) -> dict[str, object]:
    return {column.name: getattr(row, column.key) for column in table.columns}
