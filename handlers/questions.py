"""Questions and answers: the knowledge base, the awareness calendar and anonymous questions.

Anyone can ask (`ask <question>`, or just type it); the answer comes from the shipped
knowledge base merged with the entries leads added in chat. When the bot is not sure
it says so and offers to pass the question, without the asker's name, to a network's
leads. Every reply here is private: who asked what is sensitive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import cache

from bot.content import load
from bot.errors import UserError
from bot.messages import Button, ButtonStyle, Reply, Section, Visibility
from bot.numbers import is_number, parse_id
from bot.router import Audience, Command, HandlerContext, Router
from handlers.awareness_dates import AwarenessDate, next_occurrence, parse_calendar, upcoming
from handlers.knowledge import Entry, KnowledgeIndex, Result, parse_entries, word_set
from handlers.knowledge_guard import asks_about_someone
from handlers.knowledge_replies import not_about_people_reply, with_runner_up
from handlers.networks import match_network
from handlers.pages import more_section, paginate, split_page
from storage.database import Database
from storage.models import AnonymousQuestion, KnowledgeRecord, Network, User
from storage.repositories import (
    AuditRepository,
    KnowledgeRepository,
    NetworkRepository,
    QuestionRepository,
)
from storage.statuses import QuestionStatus
from storage.types import to_the_hour

# Longer than a question typed to a bot; the router already refuses anything over 4,000.
MAX_QUESTION_CHARS = 500
MAX_LEAD_QUESTION_CHARS = 2000
MAX_ANSWER_CHARS = 3000
# The command a button carries holds the question, and Slack caps a button's value.
MAX_BUTTON_QUESTION_CHARS = 300
LINK_KEPT_FOR = timedelta(days=30)
DRAFT_KEPT_FOR = timedelta(days=1)
KB_FIELDS = ("title", "answer", "questions", "keywords", "related")

_CONTROL = re.compile(r"<[!@#][^>]*>|@(?:channel|here|everyone)\b", re.IGNORECASE)
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]+:", re.IGNORECASE)
_SLUG_PART = re.compile(r"[^a-z0-9]+")
_FOREIGN_WORDS = word_set(
    """
    que qué como cómo donde dónde cuando cuándo es el la los las una por para pourquoi
    quest quoi comment est les des une pour avec dans wie was ist der die das und nicht
    wann warum kann ich sie che cosa come perché sono della quando
    """
)
_ENGLISH_HINTS = word_set("what how who when where why is are the a an do does i my can to of")


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    had_control: bool


def clean_question(raw: str) -> Cleaned:
    """The question with Slack/Teams control sequences (`<!channel>`, mentions) removed."""
    without = _CONTROL.sub(" ", raw)
    return Cleaned(text=" ".join(without.split()), had_control=without != raw)


def _letters(text: str) -> list[str]:
    return [char for char in text if char.isalpha()]


def looks_foreign(text: str) -> bool:
    """Mostly non-Latin letters, or more common non-English words than English ones."""
    letters = _letters(text)
    if letters:
        latin = sum(1 for char in letters if unicodedata.name(char, "").startswith("LATIN"))
        if latin / len(letters) < 0.5:
            return True
    tokens = re.findall(r"[^\W\d_]+", text.lower())
    foreign = sum(1 for token in tokens if token in _FOREIGN_WORDS)
    english = sum(1 for token in tokens if token in _ENGLISH_HINTS)
    return foreign >= 2 and foreign > english


def check_question(raw: str) -> str:
    """The question to search for, or a UserError with a short, kind reply. Never echoes it."""
    cleaned = clean_question(raw)
    if not cleaned.text:
        if cleaned.had_control:
            raise UserError(
                "I can't notify a channel or anyone in it, but I'm happy to answer a question. "
                "Try `ask what is allyship`."
            )
        raise UserError("What would you like to know? Try `ask what is allyship`.")
    if len(cleaned.text) > MAX_QUESTION_CHARS:
        raise UserError(
            "That's longer than I can search well. Could you ask it in a sentence or two? "
            "To put a longer question to a network's leads, use "
            "`ask leads <network> <question>`: they won't see your name."
        )
    if not _letters(_EMOJI_CODE.sub(" ", cleaned.text)) and not any(
        char.isdigit() for char in cleaned.text
    ):
        raise UserError(
            "Thank you! I can only read words, though. Ask me something like "
            "`what is intersectionality?`, or type `help`."
        )
    return cleaned.text


def slugify(text: str, limit: int = 60) -> str:
    slug = _SLUG_PART.sub("-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "entry"


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
    entry: Entry, rules: dict[str, AwarenessDate], now: datetime, zone: tzinfo
) -> str:
    """`Trans Awareness Week is next 13–19 November 2027.`, worked out from the rule."""
    rule = rules.get(entry.calendar)
    if rule is None:
        return ""
    today = now.astimezone(zone).date()
    occurrence = next_occurrence(rule, today)
    when = occurrence.describe()
    if occurrence.first <= today <= occurrence.last:
        if occurrence.single_day:
            return f"{rule.name} is today, {when}."
        return f"{rule.name} is on now: {when}."
    if occurrence.single_day:
        return f"{rule.name} is next on {when}."
    return f"{rule.name} is next {when}."


class QuestionsFeature:
    """The knowledge base loaded once, the index cached until a lead changes an entry."""

    def __init__(self, shipped: tuple[Entry, ...], calendar: tuple[AwarenessDate, ...]) -> None:
        self.shipped = shipped
        self.calendar = calendar
        self.rules = {rule.id: rule for rule in calendar}
        self._shipped_index = KnowledgeIndex.build(shipped)
        self._cached: tuple[tuple[int, int], KnowledgeIndex] | None = None

    @classmethod
    def from_content(cls) -> QuestionsFeature:
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

    # ----- asking -----------------------------------------------------------

    async def ask(self, context: HandlerContext) -> Reply:
        question = check_question(context.args)
        if asks_about_someone(question):
            return not_about_people_reply()
        index = await self.index(context)
        result = index.search(question)
        if result.best is not None:
            return with_runner_up(self.answer_reply(context, index, result.best), result.runner_up)
        networks = await _networks_with_leads(context)
        if looks_foreign(question):
            return self.foreign_reply(question, networks)
        return self.not_sure_reply(question, result, networks)

    def answer_reply(self, context: HandlerContext, index: KnowledgeIndex, entry: Entry) -> Reply:
        parts = [entry.answer]
        when = calendar_line(entry, self.rules, context.now, context.services.settings.timezone)
        if when:
            parts.append(when)
        if entry.url:
            parts.append(f"More: {entry.url}")
        related = [item for item in (index.get(rid) for rid in entry.related) if item]
        buttons = tuple(Button(item.title, f"kb {item.id}") for item in related[:3])
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

    def _lead_buttons(self, question: str, networks: list[Network]) -> tuple[Button, ...]:
        if len(question) > MAX_BUTTON_QUESTION_CHARS:
            return ()
        return tuple(
            Button(f"Ask the {network.name} leads", f"ask leads {network.slug} {question}")
            for network in networks[:4]
        )

    def not_sure_reply(self, question: str, result: Result, networks: list[Network]) -> Reply:
        nearest = result.nearest(3)
        opening = "I'm not sure I have a good answer to that, and I'd rather not guess."
        lines = [opening]
        sections: list[Section] = []
        if nearest:
            lines.append("These might be close: " + ", ".join(f"`kb {e.id}`" for e in nearest))
            opening += " These might be close:"
        sections.append(
            Section(
                text=opening,
                buttons=tuple(Button(entry.title, f"kb {entry.id}") for entry in nearest),
            )
        )
        offer = (
            "I can pass your question to a network's leads anonymously: they see the question, "
            "never your name, and I'll tell you exactly what happens before anything is sent. "
            "Type `ask leads <network> <your question>`."
        )
        lines.append(offer)
        sections.append(
            Section(
                heading="Ask a person", text=offer, buttons=self._lead_buttons(question, networks)
            )
        )
        return Reply(text="\n\n".join(lines), heading="Not sure", sections=tuple(sections))

    def foreign_reply(self, question: str, networks: list[Network]) -> Reply:
        text = (
            "Sorry, I can only read questions in English for now. A network's leads may be "
            "able to help: `ask leads <network> <your question>` sends it without your name."
        )
        return Reply(
            text=text,
            sections=(Section(text=text, buttons=self._lead_buttons(question, networks)),),
        )

    async def show_entry(self, context: HandlerContext) -> Reply:
        wanted = context.args.strip().lower()
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
        return self.answer_reply(context, index, entry)

    async def show_calendar(self, context: HandlerContext) -> Reply:
        today = context.now.astimezone(context.services.settings.timezone).date()
        coming = upcoming(self.calendar, today, days=60, at_least=5)
        lines = []
        for occurrence in coming:
            state = "now" if occurrence.first <= today else ""
            label = f"{occurrence.rule.name}: {occurrence.describe()}"
            lines.append(f"• {label}" + (" (on now)" if state else ""))
        return Reply(
            text="Coming up in the awareness calendar:\n" + "\n".join(lines),
            heading="Awareness calendar",
            sections=(Section(text="\n".join(lines)),),
            context="Worked out from each date's rule; organisers confirm the final dates.",
            visibility=Visibility.CONVERSATION,
        )

    # ----- anonymous questions ---------------------------------------------

    async def ask_leads(self, context: HandlerContext) -> Reply:
        networks = await NetworkRepository(context.session).active()
        network, rest = _take_network(networks, context.args)
        names = ", ".join(f"`{item.slug}`" for item in networks)
        if network is None:
            raise UserError(
                f"Which network's leads should I ask? Use one of {names}, for example "
                "`ask leads pride <your question>`."
            )
        cleaned = clean_question(rest).text
        if not cleaned:
            raise UserError(
                f"What would you like to ask the {network.name} leads? "
                f"Type `ask leads {network.slug} <your question>`."
            )
        if len(cleaned) > MAX_LEAD_QUESTION_CHARS:
            raise UserError(
                f"Could you shorten that to {MAX_LEAD_QUESTION_CHARS:,} characters or fewer? "
                "The leads can always ask you to say more when they answer."
            )
        if not await NetworkRepository(context.session).leads(network.id):
            raise UserError(
                f"The {network.name} has no leads set up yet, so there's nobody to send it to. "
                f"Try another network ({names})."
            )
        # Question times are kept to the hour: exact, they would match the asker's own
        # rows and log lines of the same moment.
        draft = await QuestionRepository(context.session).add_draft(
            network.id, context.user.id, cleaned, to_the_hour(context.now)
        )
        explanation = (
            f"If you press Send, the leads of the {network.name} get your question privately, "
            "without your name. When one of them answers, I'll send you the answer privately. "
            "I keep the link between you and this question only until the answer reaches you, "
            "or for 30 days if nobody answers, and then delete it. "
            "Nothing is sent until you press Send (or type "
            f"`send question {draft.id}`)."
        )
        return Reply(
            text=explanation,
            heading="Before you send this",
            sections=(Section(text=explanation),),
            buttons=(
                Button("Send anonymously", f"send question {draft.id}", ButtonStyle.PRIMARY),
                Button("Don't send", f"discard question {draft.id}"),
            ),
        )

    async def _own_draft(self, context: HandlerContext) -> AnonymousQuestion:
        question_id = _number(context.args, "send question 12")
        question = await QuestionRepository(context.session).get(question_id)
        if question is None or question.asker_user_id != context.user.id:
            raise UserError(
                "I couldn't find that question among yours. To start again, type "
                "`ask leads <network> <your question>`."
            )
        if question.status != QuestionStatus.DRAFT:
            raise UserError("That question has already been sent to the leads.")
        return question

    async def send_question(self, context: HandlerContext) -> Reply:
        question = await self._own_draft(context)
        network = await context.session.get(Network, question.network_id)
        if network is None:
            raise UserError("That network no longer exists, so I can't send the question.")
        leads = await NetworkRepository(context.session).leads(network.id)
        if not leads:
            raise UserError(f"The {network.name} has no leads at the moment, so nothing was sent.")
        question.status = QuestionStatus.SENT
        question.sent_at = to_the_hour(context.now)
        notice = Reply(
            text=(
                f"Someone asked the {network.name} leads (question {question.id}):\n\n"
                f"{question.text}\n\n"
                f"Reply with `answer {question.id} <your answer>`; I'll pass it on privately. "
                "I don't know who asked, and nor will you."
            ),
            heading=f"Anonymous question {question.id}",
            sections=(Section(text=question.text),),
            context=f"Reply with `answer {question.id} <your answer>`.",
        )
        for lead_key in leads:
            context.notify(lead_key, notice)
        await AuditRepository(context.session).record(
            to_the_hour(context.now),
            "anonymous",
            "question.sent",
            network.id,
            f"question:{question.id}",
        )
        return Reply(
            text=(
                f"Sent. The {network.name} leads have your question, without your name. "
                "I'll message you privately when one of them answers."
            )
        )

    async def discard_question(self, context: HandlerContext) -> Reply:
        question = await self._own_draft(context)
        await context.session.delete(question)
        return Reply(text="Done: I've deleted that question, and nobody saw it.")

    async def _led_question(self, context: HandlerContext, example: str) -> AnonymousQuestion:
        question_id = _number(context.args.split(" ", 1)[0], example)
        question = await QuestionRepository(context.session).get(question_id)
        if (
            question is None
            or question.status == QuestionStatus.DRAFT
            or not context.roles.leads(question.network_id)
        ):
            raise UserError(
                f"I couldn't find question {question_id} for a network you lead. "
                "Type `questions` to see the open ones."
            )
        return question

    async def answer_question(self, context: HandlerContext) -> Reply:
        question = await self._led_question(context, "answer 12 <your answer>")
        parts = context.args.split(" ", 1)
        answer = clean_question(parts[1] if len(parts) > 1 else "").text
        if not answer:
            raise UserError(f"What's your answer? Type `answer {question.id} <your answer>`.")
        if len(answer) > MAX_ANSWER_CHARS:
            raise UserError(f"Could you keep the answer under {MAX_ANSWER_CHARS:,} characters?")
        if question.status == QuestionStatus.ANSWERED:
            raise UserError(
                f"Question {question.id} has already been answered, and the link to the asker "
                "is deleted, so I can't send another answer."
            )
        network = await context.session.get(Network, question.network_id)
        network_name = network.name if network else "network"
        question.answer = answer
        question.answered_at = to_the_hour(context.now)
        buttons = (Button("Publish in the knowledge base", f"kb publish {question.id}"),)
        if question.asker_user_id is None:
            question.status = QuestionStatus.ANSWERED
            return Reply(
                text=(
                    "I've saved your answer, but the link to the asker was deleted after 30 days, "
                    f"so I can't deliver it. You can still publish it: `kb publish {question.id}`."
                ),
                buttons=buttons,
            )
        asker = await context.session.get(User, question.asker_user_id)
        question.asker_user_id = None
        question.status = QuestionStatus.ANSWERED
        if asker is not None:
            context.notify(
                asker.key,
                Reply(
                    text=(
                        f"You asked the {network_name} leads:\n{question.text}\n\n"
                        f"Their answer:\n{answer}"
                    ),
                    heading="An answer to your anonymous question",
                    sections=(
                        Section(heading="You asked", text=question.text),
                        Section(heading="Answer", text=answer),
                    ),
                    context="I've now deleted the link between you and this question.",
                ),
            )
        await AuditRepository(context.session).record(
            context.now,
            context.request.person.key,
            "question.answered",
            question.network_id,
            f"question:{question.id}",
        )
        return Reply(
            text=(
                "Thank you. Your answer is on its way to the asker privately, and I've deleted "
                "the link between them and the question. If it would help others too, "
                f"publish it with `kb publish {question.id}`."
            ),
            buttons=buttons,
        )

    async def open_questions(self, context: HandlerContext) -> Reply:
        networks = await NetworkRepository(context.session).active()
        led = [network for network in networks if context.roles.leads(network.id)]
        names = {network.id: network.name for network in led}
        _, number = split_page(context.args)
        pending = await QuestionRepository(context.session).open_for(list(names))
        if not pending:
            return Reply(text="There are no unanswered questions for the networks you lead.")
        lines = [f"• {item.id} ({names[item.network_id]}): {item.text[:200]}" for item in pending]
        page = paginate(lines, number)
        more = more_section(page, "questions")
        return Reply(
            text="Unanswered questions:\n"
            + page.text
            + "\n\nAnswer one with `answer <id> <your answer>`."
            + (f"\n{more.text}" if more else ""),
            heading="Unanswered questions",
            sections=(Section(text=page.text), *((more,) if more else ())),
        )

    # ----- leads maintain the knowledge base -----------------------------------

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

    async def _add_record(
        self, context: HandlerContext, title: str, answer: str, questions: str, network: str
    ) -> KnowledgeRecord:
        index = await self.index(context)
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
        title, separator, answer = context.args.partition("|")
        title, answer = title.strip(), " ".join(answer.split())
        if not separator or not title or not answer:
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
        record = await self._add_record(context, title, answer, title.rstrip("?"), network)
        return Reply(
            text=(
                f"Added `kb {record.slug}`. People can find it by asking in their own words; "
                f"to add more phrasings, type `kb edit {record.slug} questions <one>; <another>`."
            ),
            buttons=(Button("See it", f"kb {record.slug}"),),
        )

    async def kb_edit(self, context: HandlerContext) -> Reply:
        parts = context.args.split(" ", 2)
        if len(parts) < 3 or parts[1].lower() not in KB_FIELDS:
            raise UserError(
                "Edit an entry as `kb edit <id> <field> <text>`, where the field is one of "
                f"{', '.join(KB_FIELDS)}. Separate several questions or keywords with `;`."
            )
        slug, name, value = parts[0].lower(), parts[1].lower(), " ".join(parts[2].split())
        index = await self.index(context)
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
            text=f"Updated the {name} of `kb {slug}`.", buttons=(Button("See it", f"kb {slug}"),)
        )

    async def kb_retire(self, context: HandlerContext) -> Reply:
        slug = context.args.strip().lower()
        if not slug:
            raise UserError("Which entry? Type `kb retire <id>`.")
        index = await self.index(context)
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

    async def kb_publish(self, context: HandlerContext) -> Reply:
        question = await self._led_question(context, "kb publish 12")
        if question.status != QuestionStatus.ANSWERED or not question.answer:
            raise UserError(
                f"Answer question {question.id} first (`answer {question.id} <your answer>`), "
                "then publish it."
            )
        if question.published_entry:
            raise UserError(f"That answer is already published as `kb {question.published_entry}`.")
        network = await context.session.get(Network, question.network_id)
        title = question.text.strip()
        title = title[:1].upper() + title[1:]
        record = await self._add_record(
            context,
            title,
            question.answer,
            question.text.rstrip("?"),
            network.slug if network else "",
        )
        question.published_entry = record.slug
        return Reply(
            text=(
                f"Published as `kb {record.slug}`. The question is shown as it was asked; "
                f"to reword the title, type `kb edit {record.slug} title <new title>`."
            ),
            buttons=(Button("See it", f"kb {record.slug}"),),
        )


async def _networks_with_leads(context: HandlerContext) -> list[Network]:
    """Networks someone could ask: active, with at least one lead to receive it."""
    repository = NetworkRepository(context.session)
    return [network for network in await repository.active() if await repository.leads(network.id)]


@cache
def _shipped_content() -> tuple[tuple[Entry, ...], tuple[AwarenessDate, ...]]:
    """The bundled knowledge base and calendar, parsed once per process."""
    return parse_entries(load("knowledge.toml")), parse_calendar(load("calendar.toml"))


def _number(text: str, example: str) -> int:
    token = text.strip().split(" ", 1)[0].lstrip("#")
    if not is_number(token):
        raise UserError(f"I need the question's number, for example `{example}`.")
    return parse_id(token, what="question")


def _take_network(networks: Sequence[Network], text: str) -> tuple[Network | None, str]:
    """The network named at the start of `text` (one or two words), and the rest."""
    tokens = text.split(" ")
    for length in (2, 1):
        if len(tokens) >= length:
            found = match_network(networks, " ".join(tokens[:length])) or match_network(
                networks, "-".join(tokens[:length])
            )
            if found is not None:
                return found, " ".join(tokens[length:])
    return None, text


async def purge_question_links(database: Database, now: datetime) -> int:
    """Delete asker links older than 30 days and unsent drafts older than a day.

    The scheduler calls this daily; it returns how many questions it changed.
    """
    async with database.transaction() as session:
        return await QuestionRepository(session).purge_links(
            sent_before=now - LINK_KEPT_FOR, drafted_before=now - DRAFT_KEPT_FOR
        )


def register(router: Router, feature: QuestionsFeature | None = None) -> QuestionsFeature:
    feature = feature or QuestionsFeature.from_content()
    commands = (
        Command(
            "ask", feature.ask, "ask me anything (or just type your question)", "ask <question>"
        ),
        Command(
            "ask leads",
            feature.ask_leads,
            "ask a network's leads, without your name",
            "ask leads <network> <question>",
            anonymous=True,
        ),
        Command(
            "send question",
            feature.send_question,
            "send your anonymous question",
            "send question <id>",
            listed=False,  # offered with the draft, as its buttons
            anonymous=True,
        ),
        Command(
            "discard question",
            feature.discard_question,
            "delete an unsent question",
            "discard question <id>",
            listed=False,  # offered with the draft, as its buttons
            anonymous=True,
        ),
        Command("kb", feature.show_entry, "one knowledge-base entry", "kb <id>"),
        Command("calendar", feature.show_calendar, "awareness days, weeks and months coming up"),
        Command(
            "questions",
            feature.open_questions,
            "unanswered anonymous questions, oldest first, a page at a time",
            "questions [page <n>]",
            audience=Audience.LEAD,
        ),
        Command(
            "answer",
            feature.answer_question,
            "answer an anonymous question",
            "answer <id> <text>",
            Audience.LEAD,
        ),
        Command(
            "kb add",
            feature.kb_add,
            "add a knowledge-base entry",
            "kb add <title> | <answer>",
            Audience.LEAD,
        ),
        Command(
            "kb edit",
            feature.kb_edit,
            "change an entry",
            "kb edit <id> <field> <text>",
            Audience.LEAD,
        ),
        Command(
            "kb retire", feature.kb_retire, "stop using an entry", "kb retire <id>", Audience.LEAD
        ),
        Command(
            "kb publish",
            feature.kb_publish,
            "publish an answered question as an entry",
            "kb publish <id>",
            Audience.LEAD,
        ),
    )
    for command in commands:
        router.add(command)
    router.set_fallback(feature.ask)
    return feature


async def _revise(context: HandlerContext, record: KnowledgeRecord, action: str) -> None:
    """A lead's change to an entry: a new revision, stamped and audited."""
    record.revision += 1
    record.updated_at = context.now
    record.updated_by = context.request.person.key
    await AuditRepository(context.session).record(
        context.now, context.request.person.key, action, None, f"kb:{record.slug}"
    )
