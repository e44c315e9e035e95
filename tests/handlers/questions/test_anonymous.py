"""Anonymous questions to a network's leads, from the draft to the answer."""

from __future__ import annotations

from bot.app import Application
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger
from tests.handlers.questions.helpers import button_commands as _commands
from tests.handlers.questions.helpers import stored_questions as _questions

PRIDE_LEADS = ["console:alex"]


async def test_the_asker_is_told_what_happens_before_anything_is_sent(
    app: Application, messenger: RecordingMessenger
) -> None:
    reply = await say_one(app, "ask leads pride is there a trans support group?", user="robin")

    assert "without your name" in reply.text
    assert "30 days" in reply.text
    assert "until the answer reaches you" in reply.text
    assert _commands(app, reply) == ["send question 1", "discard question 1"]
    assert messenger.sent == []
    [draft] = await _questions(app)
    assert draft.status == "draft"


async def test_anonymous_question_reaches_leads_without_a_name_and_the_answer_comes_back(
    app: Application, messenger: RecordingMessenger
) -> None:
    await say_one(app, "ask leads pride is there a trans support group?", user="robin")
    sent = await say_one(app, "send question 1", user="robin")
    assert "without your name" in sent.text

    assert [notice.recipient_key for notice in messenger.sent] == PRIDE_LEADS
    to_lead = messenger.sent[0].reply
    assert "is there a trans support group?" in to_lead.text
    assert "answer 1" in to_lead.text
    assert "robin" not in to_lead.text.lower()

    answered = await say_one(app, "answer 1 Yes: the Pride network runs one monthly.", user="alex")
    assert "on its way" in answered.text
    assert "kb publish 1" in _commands(app, answered)

    to_asker = messenger.sent[-1]
    assert to_asker.recipient_key == "console:robin"
    assert "the Pride network runs one monthly" in to_asker.reply.text
    assert "alex" not in to_asker.reply.text.lower()
    [question] = await _questions(app)
    assert question.asker_user_id is None
    assert question.status == "answered"

    again = await say_one(app, "answer 1 one more thing", user="alex")
    assert "already been answered" in again.text


async def test_only_that_networks_leads_may_answer(
    app: Application, messenger: RecordingMessenger
) -> None:
    await say_one(app, "ask leads pride a question for pride", user="robin")
    await say_one(app, "send question 1", user="robin")

    stranger = await say_one(app, "answer 1 hello", user="kim")
    assert "is for network leads" in stranger.text
    other_lead = await say_one(app, "answer 1 hello", user="priya")
    assert "couldn't find question 1" in other_lead.text
    listed = await say_one(app, "questions", user="alex")
    assert "a question for pride" in listed.text
    assert "a question for pride" not in (await say_one(app, "questions", user="priya")).text
    [question] = await _questions(app)
    assert question.asker_user_id is not None


async def test_someone_else_cannot_send_or_see_your_draft(
    app: Application, messenger: RecordingMessenger
) -> None:
    await say_one(app, "ask leads pride private thing", user="robin")

    other = await say_one(app, "send question 1", user="kim")
    assert "couldn't find that question" in other.text
    assert messenger.sent == []
    # A lead cannot answer a draft that was never sent either.
    lead = await say_one(app, "answer 1 hello", user="alex")
    assert "couldn't find question 1" in lead.text

    discarded = await say_one(app, "discard question 1", user="robin")
    assert "nobody saw it" in discarded.text
    assert await _questions(app) == []


async def test_ask_leads_needs_a_known_network_and_a_question(app: Application) -> None:
    unknown = await say_one(app, "ask leads knitting how do i purl")
    assert "Which network's leads" in unknown.text
    empty = await say_one(app, "ask leads race equality")
    assert "What would you like to ask the Race Equality Network leads?" in empty.text
