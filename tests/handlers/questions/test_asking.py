"""Questions and answers through the router: what people see, and what the database keeps."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select

from bot.app import Application
from bot.clock import FixedClock
from bot.messages import Visibility
from storage.database import Database
from storage.models import Network, NetworkLead
from tests.conftest import say_one
from tests.handlers.questions.helpers import button_commands as _commands
from tests.support.pressing import press_one


async def test_ask_answers_from_the_knowledge_base_and_names_its_source(app: Application) -> None:
    reply = await say_one(app, "ask what is allyship?")

    assert reply.heading == "What is allyship?"
    assert "supports colleagues from a group they don't belong to" in reply.text
    assert "`kb what-is-allyship`" in (reply.context or "")
    related = _commands(app, reply)
    assert 1 <= len(reply.buttons) <= 3
    assert all(command.startswith("kb ") for command in related)
    assert len(set(related)) == len(related)
    assert reply.visibility is Visibility.PRIVATE


async def test_free_text_with_typos_and_chatter_is_taken_as_a_question(app: Application) -> None:
    reply = await say_one(app, "hi, quick question — what's intersectionalty?")

    assert reply.heading == "Intersectionality"


async def test_related_buttons_open_the_related_entry(app: Application) -> None:
    first = await say_one(app, "what is TDoR")
    assert first.heading == "Transgender Day of Remembrance (TDoR)"

    follow = await press_one(app, first.all_buttons[0])
    assert follow.heading == "Trans Awareness Week (TAW)"


async def test_plain_commands_still_run_as_commands(app: Application) -> None:
    reply = await say_one(app, "networks")

    assert reply.heading == "Staff networks"


async def test_a_question_in_a_channel_is_answered_privately(app: Application) -> None:
    reply = await say_one(app, "what is masking", shared=True)

    assert reply.heading == "Masking"
    assert reply.visibility is Visibility.PRIVATE


async def test_awareness_dates_are_computed_from_today(app: Application, clock: FixedClock) -> None:
    # 21 November 2026: this year's week is over, so the answer is next year's.
    after = await say_one(app, "when is trans awareness week")
    assert "Trans Awareness Week is next on 13–19 November 2027." in after.text

    clock.set(datetime(2026, 11, 15, 12, 0, tzinfo=UTC))
    during = await say_one(app, "when is TAW")
    assert "Trans Awareness Week is on now: 13–19 November 2026." in during.text

    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    today = await say_one(app, "when is tdor")
    assert "Transgender Day of Remembrance is today, 20 November 2026." in today.text


async def test_off_topic_question_gets_not_sure_with_suggestions_and_an_offer(
    app: Application,
) -> None:
    reply = await say_one(app, "book me a meeting room")

    assert reply.heading == "Not sure"
    assert "rather not guess" in reply.text
    commands = _commands(app, reply)
    assert any(command.startswith("kb ") for command in commands)
    # Only networks with leads to receive it are offered.
    assert "ask leads pride book me a meeting room" in commands
    assert "anonymously" in reply.text


async def test_a_network_without_leads_is_not_offered_to_pass_a_question_to(
    app: Application, database: Database
) -> None:
    async with database.transaction() as session:
        pride = await session.scalar(select(Network.id).where(Network.slug == "pride"))
        await session.execute(delete(NetworkLead).where(NetworkLead.network_id == pride))

    commands = _commands(app, await say_one(app, "book me a meeting room"))

    offered = {command.split()[2] for command in commands if command.startswith("ask leads ")}
    assert offered == {"disability", "neurodiversity", "race-equality"}


async def test_bad_input_gets_short_kind_replies_and_is_never_echoed(app: Application) -> None:
    cases = {
        "ask": "What would you like to know?",
        "ask    ": "What would you like to know?",
        # The router answers a bare `<!channel>` itself (it looks like a mistyped command).
        "<!channel>": "",
        "ask <!channel>": "can't notify a channel",
        "<!here> <@U123> <!channel>": "can't notify a channel",
        "😀🎉🏳️‍🌈": "only read words",
        ":wave: :tada:": "only read words",
        "¿Dónde está la sala de reuniones para la reunión?": "only read questions in English",
        "Что такое союзничество?": "only read questions in English",
        "what is " + "allyship " * 70: "longer than I can search well",
        "x" * 10_000: "characters long",
    }
    for text, expected in cases.items():
        reply = await say_one(app, text)
        assert expected in reply.text, (text[:40], reply.text)
        assert len(reply.text) < 400
        for odd in ("<!channel>", "<!here>", "<@U123>", "xxxxxxxxxx", "allyship allyship"):
            assert odd not in reply.text


async def test_a_channel_ping_inside_a_real_question_is_dropped(app: Application) -> None:
    reply = await say_one(app, "<!channel> what is privilege")

    assert reply.heading == "Privilege"
    assert "<!channel>" not in reply.text


async def test_when_two_entries_are_close_the_runner_up_is_offered(app: Application) -> None:
    reply = await say_one(app, "how do i join the pride network")

    assert reply.heading == "How to join a network"
    assert "This may fit better: Who can join a network? (`kb who-can-join`)" in reply.text
    commands = _commands(app, reply)
    assert commands.count("kb who-can-join") == 1


async def test_guesses_about_someone_and_who_is_in_a_network_are_declined(
    app: Application,
) -> None:
    for question in (
        "is my manager gay",
        "which colleagues are in the pride network",
        "ask who in my team is trans?",
    ):
        reply = await say_one(app, question)
        assert reply.heading == "That's theirs to share", question
        assert "I can't say anything about a particular person's" in reply.text
        assert _commands(app, reply) == ["kb being-outed"]


async def test_a_new_entry_names_its_source_and_when_it_was_checked(app: Application) -> None:
    reply = await say_one(app, "when's world aids day?")

    assert reply.heading == "World AIDS Day"
    assert "World AIDS Day is next on 1 December 2026." in reply.text
    assert "Based on National AIDS Trust" in (reply.context or "")
    assert "checked 1 December 2026" in (reply.context or "")


async def test_a_sentence_starting_with_my_is_a_question_not_the_my_page(
    app: Application,
) -> None:
    # `my` takes no words: with words after it, "my" only begins a sentence.
    question = await say_one(app, "my colleague came out to me, what should i say")
    assert question.heading in {
        "When someone comes out to you: keeping it private",
        "Coming out",
    }
    page = await say_one(app, "my")
    assert page.heading == "Your networks and sessions"
