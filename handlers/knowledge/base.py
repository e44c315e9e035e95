"""The knowledge base as people read it: shipped entries with leads' changes on top.

It is loaded once, and its index is cached until a lead changes an entry. `kb <id>`
shows one entry the way an answer shows it: with its awareness date worked out from
today, its source and the related entries as buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cache

from bot.arguments import Arguments
from bot.content import load
from bot.errors import UserError
from bot.messages import Button, Call, Reply, Section
from bot.router import HandlerContext
from handlers.awareness.dates import (
    NONE_CONFIRMED,
    AwarenessDate,
    Confirmed,
    next_occurrence,
    parse_calendar,
)
from handlers.knowledge.entries import Entry, parse_entries
from handlers.knowledge.ranking import KnowledgeIndex
from storage.models import KnowledgeRecord
from storage.repositories import AwarenessDateRepository, KnowledgeRepository


@dataclass(frozen=True, slots=True)
class EntryName(Arguments):
    """`kb <id>`, or a button naming an entry (empty: the reply asks which)."""

    entry: str = ""

    @classmethod
    def parse(cls, words: str) -> EntryName:
        return cls(entry=words)

    def words(self) -> str:
        return self.entry


def entry_button(entry: Entry) -> Button:
    """A button that shows `entry`."""
    return Button(entry.title, call=Call.of("kb", entry=entry.id))


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("\n") if part.strip())


def record_to_entry(record: KnowledgeRecord) -> Entry:
    return Entry(
        id=record.slug,
        kind=record.kind,
        title=record.title,
        answer=record.answer,
        questions=_split(record.questions),
        keywords=_split(record.keywords),
        related=_split(record.related),
        calendar=record.calendar,
        network=record.network,
        url=record.url,
        local=True,
    )


def merge(shipped: tuple[Entry, ...], records: list[KnowledgeRecord]) -> tuple[Entry, ...]:
    """Shipped entries, with leads' changes on top: same slug replaces, retired hides."""
    by_id: dict[str, Entry] = {entry.id: entry for entry in shipped}
    for record in records:
        if record.retired_at is not None:
            by_id.pop(record.slug, None)
        else:
            by_id[record.slug] = record_to_entry(record)
    return tuple(by_id.values())


def calendar_line(
    entry: Entry,
    rules: dict[str, AwarenessDate],
    now: datetime,
    zone: tzinfo,
    confirmed: Confirmed = NONE_CONFIRMED,
) -> str:
    """`Trans Awareness Week is next on 13–19 November 2027.`, worked out from the rule (or
    from the dates a lead confirmed, for a date whose organisers announce them each year)."""
    rule = rules.get(entry.calendar)
    if rule is None:
        return ""
    today = now.astimezone(zone).date()
    return next_occurrence(rule, today, confirmed).sentence(today)


class KnowledgeBase:
    """The knowledge base loaded once, the index cached until a lead changes an entry."""

    def __init__(self, shipped: tuple[Entry, ...], calendar: tuple[AwarenessDate, ...]) -> None:
        self.shipped = shipped
        self.calendar = calendar
        self.rules = {rule.id: rule for rule in calendar}
        self._shipped_index = KnowledgeIndex.build(shipped)
        self._cached: tuple[tuple[int, int], KnowledgeIndex] | None = None

    @classmethod
    def from_content(cls) -> KnowledgeBase:
        return cls(*_shipped_content())

    async def index(self, context: HandlerContext) -> KnowledgeIndex:
        repository = KnowledgeRepository(context.session)
        version = await repository.version()
        if version == (0, 0):
            return self._shipped_index
        if self._cached is None or self._cached[0] != version:
            merged = merge(self.shipped, list(await repository.every()))
            self._cached = (version, KnowledgeIndex.build(merged))
        return self._cached[1]

    async def answer_reply(
        self, context: HandlerContext, index: KnowledgeIndex, entry: Entry
    ) -> Reply:
        parts = [entry.answer]
        rule = self.rules.get(entry.calendar)
        confirmed = (
            await AwarenessDateRepository(context.session).confirmed()
            if rule is not None and rule.announced
            else NONE_CONFIRMED
        )
        zone = context.services.settings.timezone
        when = calendar_line(entry, self.rules, context.now, zone, confirmed)
        if when:
            parts.append(when)
        if entry.url:
            parts.append(f"More: {entry.url}")
        related = [item for item in (index.get(rid) for rid in entry.related) if item]
        buttons = tuple(entry_button(item) for item in related[:3])
        source = f"Source: {entry.title} (`kb {entry.id}`)" + (
            ", added by a network lead" if entry.local else ""
        )
        if entry.source:
            source += f". Based on {entry.source}" + (
                f", checked {entry.checked.day} {entry.checked:%B %Y}" if entry.checked else ""
            )
        text = "\n\n".join(parts)
        plain = f"{entry.title}\n{text}\n{source}"
        if buttons:
            plain += "\nRelated: " + ", ".join(f"`kb {item.id}`" for item in related[:3])
        return Reply(
            text=plain,
            heading=entry.title,
            sections=(Section(text=text),),
            buttons=buttons,
            context=source,
        )

    async def show_entry(self, context: HandlerContext) -> Reply:
        wanted = context.given(EntryName).entry.strip().lower()
        index = await self.index(context)
        if not wanted:
            raise UserError("Which entry? Try `kb what-is-allyship`, or just ask a question.")
        entry = index.get(wanted)
        if entry is None:
            result = index.search(wanted.replace("-", " "))
            if result.best is not None:
                entry = result.best
            else:
                raise UserError(
                    "I couldn't find that entry. It may have been retired; try asking your "
                    "question in your own words."
                )
        return await self.answer_reply(context, index, entry)


@cache
def _shipped_content() -> tuple[tuple[Entry, ...], tuple[AwarenessDate, ...]]:
    """The bundled knowledge base and calendar, parsed once per process."""
    return parse_entries(load("knowledge.toml")), parse_calendar(load("calendar.toml"))
