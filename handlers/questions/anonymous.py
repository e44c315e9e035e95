"""Anonymous questions to a network's leads, from the asker's side.

`ask leads <network> <question>` keeps a draft and says exactly what will happen; only
`send question <id>` passes it on, without the asker's name, and `discard question <id>`
deletes it unseen. Question times are kept to the hour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.arguments import Arguments
from bot.errors import UserError
from bot.messages import Button, ButtonStyle, Call, Reply, Section
from bot.numbers import parse_id
from bot.router import HandlerContext
from handlers.networks import match_network
from handlers.questions.answer_form import answer_form
from handlers.questions.checks import clean_question, question_number, without_control
from storage.models import AnonymousQuestion, Network
from storage.repositories import AuditRepository, NetworkRepository, QuestionRepository
from storage.statuses import QuestionStatus
from storage.types import to_the_hour

MAX_LEAD_QUESTION_CHARS = 2000


@dataclass(frozen=True, slots=True)
class AskLeads(Arguments):
    """`ask leads <network> <question>`, or an "Ask the leads" button's network and question.

    Typed, where the network's name (one or two words) ends can only be told from the
    networks there are, so `parse` keeps the words whole in `question` with no `network`,
    and the handler splits them as it always has. A button names the network, and its
    question is taken as it is, line breaks and all.
    """

    network: str = ""
    question: str = ""

    @classmethod
    def parse(cls, words: str) -> AskLeads:
        return cls(question=words)

    def words(self) -> str:
        return f"{self.network} {self.question}".strip()


@dataclass(frozen=True, slots=True)
class DraftQuestion(Arguments):
    """`send question <id>` and `discard question <id>`: the asker's draft, by its number."""

    question: int

    @classmethod
    def parse(cls, words: str) -> DraftQuestion:
        return cls(question=question_number(words, "send question 12"))

    def words(self) -> str:
        return str(self.question)


async def ask_leads(context: HandlerContext) -> Reply:
    networks = await NetworkRepository(context.session).active()
    given = context.given(AskLeads)
    if given.network:
        network, cleaned = match_network(networks, given.network), without_control(given.question)
    else:
        network, rest = _take_network(networks, given.question)
        cleaned = clean_question(rest).text
    names = ", ".join(f"`{item.slug}`" for item in networks)
    if network is None:
        raise UserError(
            f"Which network's leads should I ask? Use one of {names}, for example "
            "`ask leads pride <your question>`."
        )
    if not cleaned.strip():
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
            Button(
                "Send anonymously",
                call=Call.of("send question", question=draft.id),
                style=ButtonStyle.PRIMARY,
            ),
            Button("Don't send", call=Call.of("discard question", question=draft.id)),
        ),
    )


async def _own_draft(context: HandlerContext) -> AnonymousQuestion:
    # A button's number is held to what typed ones are: an id the database can hold.
    question_id = parse_id(str(context.given(DraftQuestion).question), what="question")
    question = await QuestionRepository(context.session).get(question_id)
    if question is None or question.asker_user_id != context.user.id:
        raise UserError(
            "I couldn't find that question among yours. To start again, type "
            "`ask leads <network> <your question>`."
        )
    if question.status != QuestionStatus.DRAFT:
        raise UserError("That question has already been sent to the leads.")
    return question


async def send_question(context: HandlerContext) -> Reply:
    question = await _own_draft(context)
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
        buttons=(
            Button(
                "Answer",
                style=ButtonStyle.PRIMARY,
                form=answer_form([question], network.slug, question.id),
            ),
        ),
    )
    for lead_key in leads:
        context.notify(lead_key, notice)
    # The number of questions waiting on their lead tasks (Slack's App Home) went up.
    context.changed_for(*leads)
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


async def discard_question(context: HandlerContext) -> Reply:
    question = await _own_draft(context)
    await context.session.delete(question)
    return Reply(text="Done: I've deleted that question, and nobody saw it.")


def _take_network(networks: Sequence[Network], text: str) -> tuple[Network | None, str]:
    """The network named at the start of `text` (one or two words), and the rest as typed."""
    for length in (2, 1):
        pieces = text.split(None, length)
        if len(pieces) >= length:
            found = match_network(networks, " ".join(pieces[:length])) or match_network(
                networks, "-".join(pieces[:length])
            )
            if found is not None:
                return found, pieces[length] if len(pieces) > length else ""
    return None, text
