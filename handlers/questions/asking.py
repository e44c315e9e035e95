"""Asking: `ask <question>`, or any text that is not a command, answered from the knowledge base.

When the bot is not sure it says so, suggests the nearest entries and offers to pass the
question, without the asker's name, to a network's leads. Every reply here is private:
who asked what is sensitive.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Self

from bot.arguments import Arguments
from bot.messages import Button, Call, Reply, Section
from bot.parser import fold
from bot.router import HandlerContext
from handlers.knowledge.base import KnowledgeBase, entry_button
from handlers.knowledge.crisis import CRISIS_ENTRY, CRISIS_OPENING, CRISIS_TEXT, in_crisis
from handlers.knowledge.guard import asks_about_someone
from handlers.knowledge.ranking import Result
from handlers.knowledge.replies import not_about_people_reply, with_runner_up
from handlers.questions.checks import check_question, looks_foreign
from storage.models import Network
from storage.repositories import NetworkRepository


@dataclass(frozen=True, slots=True)
class Question(Arguments):
    """`ask <question>`, or any text that is no command: the words are searched, so their
    spacing does not matter."""

    question: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls(question=fold(words))

    def words(self) -> str:
        return self.question


# A button's call carries the question as a value, and Slack caps a button's value.
MAX_BUTTON_QUESTION_CHARS = 300


class QuestionsFeature:
    """Questions answered from the one knowledge base, or offered to a network's leads."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge

    async def ask(self, context: HandlerContext) -> Reply:
        question = check_question(context.given(Question).question)
        # Crisis words first, whatever else the message asks; a declined ask needs no index.
        crisis = in_crisis(question)
        if not crisis and asks_about_someone(question):
            return not_about_people_reply()
        index = await self.knowledge.index(context)
        if crisis:
            support = index.get(CRISIS_ENTRY)
            if support is None:
                return Reply(text=CRISIS_TEXT)
            return _with_care(await self.knowledge.answer_reply(context, index, support))
        result = index.search(question)
        if result.best is not None:
            return with_runner_up(
                await self.knowledge.answer_reply(context, index, result.best), result.runner_up
            )
        networks = await _networks_with_leads(context)
        if looks_foreign(question):
            return self.foreign_reply(question, networks)
        return self.not_sure_reply(question, result, networks)

    def _lead_buttons(self, question: str, networks: list[Network]) -> tuple[Button, ...]:
        if len(question) > MAX_BUTTON_QUESTION_CHARS:
            return ()
        return tuple(
            Button(
                f"Ask the {network.name} leads",
                call=Call.of("ask leads", network=network.slug, question=question),
            )
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
                buttons=tuple(entry_button(entry) for entry in nearest),
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


async def _networks_with_leads(context: HandlerContext) -> list[Network]:
    """Networks someone could ask: active, with at least one lead to receive it."""
    return list(await NetworkRepository(context.session).active_with_leads())


def _with_care(reply: Reply) -> Reply:
    """The entry on mental health support, which opens with the helplines, after a word of
    care: this is someone in pain, not a search."""
    return dataclasses.replace(
        reply,
        text=f"{CRISIS_OPENING}\n\n{reply.text}",
        sections=(Section(text=CRISIS_OPENING), *reply.sections),
    )
