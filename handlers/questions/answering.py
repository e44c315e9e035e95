"""Leads answer anonymous questions: list them, answer one, publish an answer as an entry.

The answer reaches the asker privately, and the link between them and the question is
deleted as it goes; the lead never learns who asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.arguments import Arguments
from bot.errors import UserError
from bot.messages import Button, Call, Reply, Section
from bot.numbers import parse_id
from bot.router import HandlerContext
from handlers.knowledge.editing import MAX_ANSWER_CHARS, KnowledgeEditing
from handlers.pages import more_section, page_number, page_words, paginate, typed_page
from handlers.questions.answer_form import answer_form
from handlers.questions.checks import question_number, without_control
from storage.models import AnonymousQuestion, Network, User
from storage.repositories import AuditRepository, NetworkRepository, QuestionRepository
from storage.statuses import QuestionStatus
from storage.types import to_the_hour


@dataclass(frozen=True, slots=True)
class QuestionsPage(Arguments):
    """`questions [page <n>]` (other words are ignored), or its More button's page."""

    page: int | None = None

    @classmethod
    def parse(cls, words: str) -> QuestionsPage:
        return cls(page=typed_page(words)[1])

    def words(self) -> str:
        return page_words(self.page).strip()


@dataclass(frozen=True, slots=True)
class PublishQuestion(Arguments):
    """`kb publish <id>`, or the "Publish in the knowledge base" button's question."""

    question: int

    @classmethod
    def parse(cls, words: str) -> PublishQuestion:
        return cls(question=question_number(words.split(" ", 1)[0], "kb publish 12"))

    def words(self) -> str:
        return str(self.question)


@dataclass(frozen=True, slots=True)
class AnswerQuestion(Arguments):
    """`answer <id> <text>`, or the answer form's question and answer (its lines kept)."""

    labels: ClassVar[dict[str, str]] = {"answer": "your answer"}
    # A typed answer keeps its lines too; the handler removes control sequences.
    free_text: ClassVar[frozenset[str]] = frozenset({"answer"})
    question: int
    answer: str = ""

    @classmethod
    def parse(cls, words: str) -> AnswerQuestion:
        parts = words.strip().split(None, 1)
        question = question_number(parts[0] if parts else "", "answer 12 <your answer>")
        return cls(question=question, answer=parts[1] if len(parts) > 1 else "")

    def words(self) -> str:
        return f"{self.question} {' '.join(self.answer.split())}".rstrip()


class Answering:
    """The leads' side of anonymous questions; publishing goes through the `kb` editing."""

    def __init__(self, editing: KnowledgeEditing) -> None:
        self.editing = editing

    async def _led_question(self, context: HandlerContext, question_id: int) -> AnonymousQuestion:
        # A button's number is held to what typed ones are: an id the database can hold.
        question_id = parse_id(str(question_id), what="question")
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
        given = context.given(AnswerQuestion)
        question = await self._led_question(context, given.question)
        # A form's answer keeps its lines; only control sequences (`<!channel>`) go.
        answer = without_control(given.answer).strip()
        if not answer:
            raise UserError(
                f"What's your answer? Type `answer {question.id} <your answer>`.", field="answer"
            )
        if len(answer) > MAX_ANSWER_CHARS:
            raise UserError(
                f"Could you keep the answer under {MAX_ANSWER_CHARS:,} characters?", field="answer"
            )
        if question.status == QuestionStatus.ANSWERED:
            raise UserError(
                f"Question {question.id} has already been answered, and the link to the asker "
                "is deleted, so I can't send another answer.",
                field="question",
            )
        network = await context.session.get(Network, question.network_id)
        network_name = network.name if network else "network"
        question.answer = answer
        question.answered_at = to_the_hour(context.now)
        buttons = (
            Button(
                "Publish in the knowledge base", call=Call.of("kb publish", question=question.id)
            ),
        )
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
        number = page_number(context.given(QuestionsPage).page)
        pending = await QuestionRepository(context.session).open_for(list(names))
        if not pending:
            return Reply(text="There are no unanswered questions for the networks you lead.")
        lines = [f"• {item.id} ({names[item.network_id]}): {item.text[:200]}" for item in pending]
        page = paginate(lines, number)
        more = more_section(page, "questions", call=Call("questions"))
        return Reply(
            text="Unanswered questions:\n"
            + page.text
            + "\n\nAnswer one with `answer <id> <your answer>`."
            + (f"\n{more.text}" if more else ""),
            heading="Unanswered questions",
            sections=(Section(text=page.text), *((more,) if more else ())),
            buttons=(Button("Answer one", form=answer_form(pending)),),
        )

    async def kb_publish(self, context: HandlerContext) -> Reply:
        question = await self._led_question(context, context.given(PublishQuestion).question)
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
        record = await self.editing.add_record(
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
            buttons=(Button("See it", call=Call.of("kb", entry=record.slug)),),
        )
