"""The answer form: a waiting question chosen from a list (never typed as a number), and
the answer written with its lines kept. Its builder checks the person still leads a
network with questions waiting, so a Slack modal is built for whoever opens it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.errors import UserError
from bot.messages import Call, Form, FormField, FormFieldKind
from bot.router import HandlerContext
from handlers.knowledge.editing import MAX_ANSWER_CHARS
from storage.models import AnonymousQuestion, Network
from storage.repositories import NetworkRepository, QuestionRepository

ANSWER_FORM = "question-answer"
# Slack shows up to 100 options; the oldest waiting come first.
MAX_QUESTION_CHOICES = 50
QUESTION_LABEL = 70


def _label(question: AnonymousQuestion) -> str:
    text = " ".join(question.text.split())
    return text if len(text) <= QUESTION_LABEL else text[: QUESTION_LABEL - 1] + "…"


def answer_form(
    waiting: Sequence[AnonymousQuestion], network: str = "", question: int | None = None
) -> Form:
    """`question`, when given, is the one chosen to begin with (the one a lead was told of)."""
    params: tuple[tuple[str, str], ...] = (("network", network),) if network else ()
    if question is not None:
        params += (("question", str(question)),)
    return Form(
        id=f"answer-{network}",
        title="Answer a question",
        fields=(
            FormField(
                "question",
                "Question",
                FormFieldKind.CHOICE,
                choices=tuple(
                    (_label(item), str(item.id)) for item in waiting[:MAX_QUESTION_CHOICES]
                ),
                initial="" if question is None else str(question),
            ),
            FormField(
                "answer", "Your answer", FormFieldKind.MULTILINE, max_length=MAX_ANSWER_CHARS
            ),
        ),
        call=Call.of("answer"),
        kind=ANSWER_FORM,
        params=params,
        submit_label="Send answer",
    )


async def waiting_questions(
    context: HandlerContext, networks: Sequence[Network]
) -> Sequence[AnonymousQuestion]:
    return await QuestionRepository(context.session).open_for([item.id for item in networks])


async def build_answer_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    wanted = params.get("network", "")
    led = [
        item
        for item in await NetworkRepository(context.session).active()
        if context.roles.leads(item.id) and (not wanted or item.slug == wanted)
    ]
    waiting = await waiting_questions(context, led) if led else ()
    if not waiting:
        raise UserError("There are no questions waiting for an answer.")
    chosen = params.get("question", "")
    return answer_form(waiting, wanted, int(chosen) if chosen.isdigit() else None)
