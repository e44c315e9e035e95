"""Leads keep the knowledge base: `kb add`, `kb edit` and `kb retire`.

A change to a shipped entry is stored as a row of its own that replaces it; every
change is a new revision, stamped and audited. Entries about one network are that
network's leads' to change.
"""

from __future__ import annotations

import re

from bot.errors import UserError
from bot.messages import Button, Call, Reply
from bot.parser import fold
from bot.router import HandlerContext
from handlers.knowledge.arguments import KB_FIELDS, KbAdd, KbEdit, KbRetire
from handlers.knowledge.base import KnowledgeBase, record_to_entry
from handlers.knowledge.entries import Entry
from handlers.knowledge.ranking import KnowledgeIndex
from storage.models import KnowledgeRecord
from storage.repositories import AuditRepository, KnowledgeRepository, NetworkRepository

MAX_ANSWER_CHARS = 3000
_SLUG_PART = re.compile(r"[^a-z0-9]+")


def slugify(text: str, limit: int = 60) -> str:
    slug = _SLUG_PART.sub("-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "entry"


class KnowledgeEditing:
    """The leads' `kb` commands, on the one knowledge base the answers come from."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge

    async def _editable(self, context: HandlerContext, entry: Entry) -> None:
        """Entries about one network are that network's leads' to change; others, any lead's."""
        if not entry.network:
            return
        network = await NetworkRepository(context.session).by_slug(entry.network)
        if network is not None and not context.roles.leads(network.id):
            raise UserError(f"`{entry.id}` belongs to the {network.name}; its leads look after it.")

    async def _record_for(
        self, context: HandlerContext, index: KnowledgeIndex, slug: str
    ) -> tuple[KnowledgeRecord, bool]:
        """The stored row for `slug`, created from the shipped entry when there is none."""
        repository = KnowledgeRepository(context.session)
        record = await repository.by_slug(slug)
        if record is not None:
            return record, False
        entry = index.get(slug)
        if entry is None:
            raise UserError(
                "I couldn't find that entry. Entry ids look like `what-is-allyship`: "
                "they're shown under each answer."
            )
        await self._editable(context, entry)
        record = KnowledgeRecord(
            slug=entry.id,
            kind=entry.kind,
            title=entry.title,
            answer=entry.answer,
            questions="\n".join(entry.questions),
            keywords="\n".join(entry.keywords),
            related="\n".join(entry.related),
            calendar=entry.calendar,
            network=entry.network,
            url=entry.url,
            revision=0,
            updated_at=context.now,
            updated_by=context.request.person.key,
        )
        return await repository.add(record), True

    async def _unique_slug(self, context: HandlerContext, index: KnowledgeIndex, text: str) -> str:
        base = slugify(text)
        slug, number = base, 2
        repository = KnowledgeRepository(context.session)
        while index.get(slug) is not None or await repository.by_slug(slug) is not None:
            slug, number = f"{base}-{number}", number + 1
        return slug

    async def add_record(
        self, context: HandlerContext, title: str, answer: str, questions: str, network: str
    ) -> KnowledgeRecord:
        index = await self.knowledge.index(context)
        record = KnowledgeRecord(
            slug=await self._unique_slug(context, index, title),
            kind="answer",
            title=title[:200],
            answer=answer,
            questions=questions,
            keywords="",
            related="",
            calendar="",
            network=network,
            url="",
            revision=1,
            updated_at=context.now,
            updated_by=context.request.person.key,
        )
        await KnowledgeRepository(context.session).add(record)
        await AuditRepository(context.session).record(
            context.now, context.request.person.key, "kb.added", None, f"kb:{record.slug}"
        )
        return record

    async def kb_add(self, context: HandlerContext) -> Reply:
        given = context.given(KbAdd)
        title, answer = fold(given.title), given.answer
        if not title or not answer.strip():
            raise UserError(
                "Add an entry as `kb add <title> | <answer>`, for example "
                "`kb add What is a buddy scheme? | A buddy scheme pairs ...`."
            )
        if len(title) > 200 or len(answer) > MAX_ANSWER_CHARS:
            raise UserError(
                "Please keep the title under 200 characters and the answer under 3,000."
            )
        led = await NetworkRepository(context.session).led_by(context.request.person.key)
        network = led[0].slug if len(led) == 1 else ""
        record = await self.add_record(context, title, answer, title.rstrip("?"), network)
        return Reply(
            text=(
                f"Added `kb {record.slug}`. People can find it by asking in their own words; "
                f"to add more phrasings, type `kb edit {record.slug} questions <one>; <another>`."
            ),
            buttons=(Button("See it", call=Call.of("kb", entry=record.slug)),),
        )

    async def kb_edit(self, context: HandlerContext) -> Reply:
        given = context.given(KbEdit)
        slug, name = fold(given.entry).lower(), given.part.strip().lower()
        if name not in KB_FIELDS or not given.text.strip():
            raise UserError(
                "Edit an entry as `kb edit <id> <field> <text>`, where the field is one of "
                f"{', '.join(KB_FIELDS)}. Separate several questions or keywords with `;`.",
                field="part" if name not in KB_FIELDS else "text",
            )
        # An answer keeps the lines it was written on; the rest is one line or a list.
        value = given.text.strip() if name == "answer" else fold(given.text)
        index = await self.knowledge.index(context)
        record, _ = await self._record_for(context, index, slug)
        await self._editable(context, record_to_entry(record))
        if name in ("title", "answer"):
            if len(value) > (200 if name == "title" else MAX_ANSWER_CHARS):
                raise UserError(
                    "That's too long: titles up to 200 characters, answers up to 3,000."
                )
            setattr(record, name, value)
        else:
            items = [item.strip() for item in value.split(";") if item.strip()]
            if name == "related":
                unknown = [item for item in items if index.get(item.lower()) is None]
                if unknown:
                    raise UserError("Related entries must be entry ids, like `what-is-allyship`.")
                items = [item.lower() for item in items]
            setattr(record, name, "\n".join(items))
        record.retired_at = None
        await _revise(context, record, "kb.edited")
        return Reply(
            text=f"Updated the {name} of `kb {slug}`.",
            buttons=(Button("See it", call=Call.of("kb", entry=slug)),),
        )

    async def kb_retire(self, context: HandlerContext) -> Reply:
        slug = fold(context.given(KbRetire).entry).lower()
        if not slug:
            raise UserError("Which entry? Type `kb retire <id>`.")
        index = await self.knowledge.index(context)
        record, _ = await self._record_for(context, index, slug)
        await self._editable(context, record_to_entry(record))
        if record.retired_at is not None:
            raise UserError(f"`{slug}` is already retired.")
        record.retired_at = context.now
        await _revise(context, record, "kb.retired")
        return Reply(
            text=(
                f"Retired `{slug}`: I won't use it to answer questions any more. To bring it back, "
                f"edit it (`kb edit {slug} answer <text>`)."
            )
        )


async def _revise(context: HandlerContext, record: KnowledgeRecord, action: str) -> None:
    """A lead's change to an entry: a new revision, stamped and audited."""
    record.revision += 1
    record.updated_at = context.now
    record.updated_by = context.request.person.key
    await AuditRepository(context.session).record(
        context.now, context.request.person.key, action, None, f"kb:{record.slug}"
    )
