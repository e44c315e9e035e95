"""Dispatch, lead-only commands, and the one error funnel, through the neutral API."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest
from sqlalchemy import select

from bot.app import Application
from bot.errors import UserError
from bot.logs import KeyValueFormatter
from bot.messages import Call, Conversation, Person, Reply, Request
from bot.router import Audience, Command, HandlerContext, Router
from handlers import networks
from storage.models import Network, User
from storage.repositories import NetworkRepository
from tests.conftest import say, say_one


async def network_count(app: Application) -> int:
    async with app.database.transaction() as session:
        return await NetworkRepository(session).count()


async def test_help_lists_what_everyone_can_do(app: Application) -> None:
    reply = await say_one(app, "help")
    assert "Networks: See the staff networks" in reply.text
    assert "Leading a network" not in reply.text
    networks = await say_one(app, "help networks")
    assert "`networks`" in networks.text
    assert "`network <name>`" in networks.text


async def test_leads_see_lead_commands_in_help_and_others_do_not(app: Application) -> None:
    async def digest(context: HandlerContext) -> Reply:
        return Reply(text="report")

    app.router.add(Command("lead digest", digest, "a digest for leads", audience=Audience.LEAD))
    # A lead command no group names is still shown to leads, with the other lead commands.
    lead_help = await say_one(app, "help leading", user="alex")
    assert "More:\n`lead digest` — a digest for leads" in lead_help.text
    member_help = await say_one(app, "help", user="robin")
    assert "Leading a network" not in member_help.text
    assert "Everything else" not in member_help.text
    refused = await say_one(app, "help leading", user="robin")
    assert "`lead digest`" not in refused.text


async def test_help_lists_admin_commands_apart_and_leaves_out_follow_up_steps(
    app: Application,
) -> None:
    admins_part = (await say_one(app, "help admin", user="sam")).text
    leads_part = (await say_one(app, "help leading", user="sam")).text
    assert "`create network" in admins_part and "`create network" not in leads_part
    assert "`create session" in leads_part
    lead_help = await say_one(app, "help", user="alex")
    assert "Admin" not in lead_help.text
    refused = await say_one(app, "help admin", user="alex")
    assert refused.text.startswith("That part of help is for admins.")
    # Offered as buttons on a drafted question; listing them for everyone only confuses.
    topics = ("", "networks", "sessions", "questions", "data")
    pages = [(await say_one(app, f"help {topic}", user="robin")).text for topic in topics]
    member_help = "\n".join(pages)
    assert "send question" not in member_help
    assert "discard question" not in member_help
    assert "`ask leads <network> <question>`" in member_help


async def test_lead_commands_are_refused_politely_saying_who_can(app: Application) -> None:
    async def digest(context: HandlerContext) -> Reply:
        return Reply(text="the report")

    app.router.add(Command("lead digest", digest, "a digest for leads", audience=Audience.LEAD))
    refused = await say_one(app, "lead digest", user="robin")
    assert "for network leads" in refused.text
    assert (await say_one(app, "lead digest", user="alex")).text == "the report"
    # Admins may do what leads do.
    assert (await say_one(app, "lead digest", user="sam")).text == "the report"


async def test_a_typo_gets_a_did_you_mean(app: Application) -> None:
    reply = await say_one(app, "netwroks")
    assert "Did you mean `networks`?" in reply.text


async def test_control_sequences_are_not_echoed_back(app: Application) -> None:
    for reply in await say(app, "<!channel> everyone look"):
        assert "<!channel>" not in reply.text
        assert "everyone look" not in reply.text


async def test_a_ten_thousand_character_message_gets_a_kind_short_answer(
    app: Application,
) -> None:
    reply = await say_one(app, "a" * 10_000)
    assert "10,000 characters" in reply.text
    assert len(reply.text) < 300


async def test_empty_text_gets_a_nudge(app: Application) -> None:
    assert "help" in (await say_one(app, "   \u200b ")).text


async def test_an_unexpected_error_apologises_with_a_reference_logs_the_traceback_and_keeps_nothing(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    before = await network_count(app)

    async def broken(context: HandlerContext) -> Reply:
        await NetworkRepository(context.session).add(
            Network(slug="half-done", name="Half done", created_at=context.now)
        )
        raise RuntimeError("database exploded")

    app.router.add(Command("explode", broken, "breaks"))
    with caplog.at_level(logging.INFO):
        reply = await say_one(app, "explode now please")

    match = re.search(r"reference ([0-9a-f]{8})", reply.text)
    assert match is not None, reply.text
    assert "Traceback" not in reply.text and "exploded" not in reply.text
    errors = [record for record in caplog.records if record.getMessage() == "unexpected_error"]
    assert len(errors) == 1
    logged = KeyValueFormatter().format(errors[0])
    assert f"ref={match.group(1)}" in logged
    assert "RuntimeError: database exploded" in logged
    assert await network_count(app) == before


REFUSAL = "That date is in the past. Try a date from tomorrow on."


async def refuse_after_a_change(context: HandlerContext) -> Reply:
    """Changes something, then refuses: nothing of the change may be kept."""
    await NetworkRepository(context.session).add(
        Network(slug="nope", name="Nope", created_at=context.now)
    )
    raise UserError(REFUSAL)


async def test_a_user_error_is_shown_as_it_is_and_rolls_back(app: Application) -> None:
    before = await network_count(app)
    app.router.add(Command("refuse", refuse_after_a_change, "refuses"))
    reply = await say_one(app, "refuse")
    assert reply.text == REFUSAL
    assert await network_count(app) == before


async def test_private_notices_go_out_only_after_a_commit(app: Application, messenger) -> None:  # type: ignore[no-untyped-def]
    async def tell_lead(context: HandlerContext) -> Reply:
        context.notify("console:alex", Reply(text="A question is waiting for you."))
        if context.args == "fail":
            raise UserError("Not this time.")
        return Reply(text="Passed on.")

    app.router.add(Command("tell", tell_lead, "tells a lead"))
    await say_one(app, "tell fail")
    assert messenger.sent == []
    await say_one(app, "tell ok")
    assert [notice.recipient_key for notice in messenger.sent] == ["console:alex"]


async def test_request_logs_carry_ids_never_text(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        await say_one(app, "network Pride Network", user="robin")
    lines = [KeyValueFormatter().format(record) for record in caplog.records]
    handled = [line for line in lines if "event=request_handled" in line]
    pseudonym = app.services.pseudonyms.of("console:robin")
    assert handled and "command=network" in handled[0] and f"person={pseudonym}" in handled[0]
    assert not any("Pride" in line or "robin" in line for line in lines)


async def test_registering_a_phrase_twice_is_a_programming_error(app: Application) -> None:
    async def noop(context: HandlerContext) -> Reply:
        return Reply(text="")

    with pytest.raises(ValueError, match="registered twice"):
        app.router.add(Command("help", noop, "again"))


async def test_with_a_fallback_a_mistyped_command_still_gets_did_you_mean(
    app: Application,
) -> None:
    router = Router(app.services)
    networks.register(router)

    async def answer_question(context: HandlerContext) -> Reply:
        return Reply(text=f"question: {context.args}")

    router.set_fallback(answer_question)
    request = Request(Person("console", "you"), "netwroks", Conversation("D1"))
    (reply,) = await router.dispatch(request)
    assert "Did you mean `networks`?" in reply.text
    question = Request(Person("console", "you"), "what is a network lead?", Conversation("D1"))
    (reply,) = await router.dispatch(question)
    assert reply.text == "question: what is a network lead?"
    # Markup is not a typo of a command: `<!channel>` must not suggest `channel`.
    (reply,) = await router.dispatch(
        Request(Person("console", "you"), "<!channel>", Conversation("D1"))
    )
    assert reply.text.startswith("question:")


async def test_a_new_persons_simultaneous_first_requests_all_succeed(app: Application) -> None:
    replies = await asyncio.gather(*(say(app, "networks", user="newcomer") for _ in range(8)))
    assert all("Staff networks" in (found[0].heading or "") for found in replies), replies
    async with app.database.transaction() as session:
        users = await session.scalars(select(User).where(User.external_id == "newcomer"))
        assert len(users.all()) == 1


# -- deliveries a platform may repeat --------------------------------------------------------


def _request(text: str, user: str = "robin") -> Request:
    return Request(Person("console", user, user), text, Conversation(f"dm-{user}", shared=False))


async def test_a_repeated_delivery_acts_once_and_is_answered_once(app: Application) -> None:
    await app.router.dispatch(_request("join pride"))
    first = await app.router.dispatch_once(_request("agree"), "delivery-1")
    again = await app.router.dispatch_once(_request("agree"), "delivery-1")
    assert first is not None and "Pride Network" in first[0].text
    # Handled before: no second answer, and nothing done twice.
    assert again is None
    # A new delivery of the same words is a new request: there is nothing left to agree to.
    later = await app.router.dispatch_once(_request("agree"), "delivery-2")
    assert later is not None and "Pride Network" not in later[0].text


async def test_a_refused_delivery_is_answered_once_and_keeps_nothing(app: Application) -> None:
    before = await network_count(app)
    app.router.add(Command("refuse", refuse_after_a_change, "refuses"))
    answered = await app.router.dispatch_once(_request("refuse"), "delivery-refused")
    assert answered is not None and answered[0].text == REFUSAL
    assert await app.router.dispatch_once(_request("refuse"), "delivery-refused") is None
    # A mistyped command, repeated, gets one "did you mean" too.
    typo = await app.router.dispatch_once(_request("netwroks"), "delivery-typo")
    assert typo is not None and "Did you mean `networks`?" in typo[0].text
    assert await app.router.dispatch_once(_request("netwroks"), "delivery-typo") is None
    assert await network_count(app) == before


async def test_simultaneous_copies_of_one_delivery_act_once(app: Application) -> None:
    calls: list[str] = []

    async def count(context: HandlerContext) -> Reply:
        calls.append(context.args)
        return Reply(text="counted")

    app.router.add(Command("count", count, "counts"))
    results = await asyncio.gather(
        *(app.router.dispatch_once(_request("count me"), "delivery-burst") for _ in range(5))
    )
    assert calls == ["me"]
    assert sum(result is not None for result in results) == 1


async def test_watchers_hear_whose_view_changed_only_after_a_commit(app: Application) -> None:
    heard: list[frozenset[str]] = []
    app.services.change_watchers.append(heard.append)

    async def move(context: HandlerContext) -> Reply:
        context.changed_for("console:ana")
        context.notify("console:ben", Reply(text="Your session moved."))
        if context.args == "fail":
            raise UserError("Not this time.")
        return Reply(text="Moved.")

    def broken(_keys: frozenset[str]) -> None:
        raise RuntimeError("watcher broke")

    app.router.add(Command("move", move, "moves"))
    await say_one(app, "move fail")
    assert heard == []
    app.services.change_watchers.insert(0, broken)
    # A broken watcher is reported; the others still hear, and the person gets their answer.
    assert (await say_one(app, "move ok")).text == "Moved."
    assert heard == [frozenset({"console:ana", "console:ben"})]


@pytest.mark.parametrize(
    ("typed", "lead_hears"),
    [
        ("postpone session soon", "Which session?"),
        ("edit announcement three: hello", "Which announcement?"),
        ("kb edit buddy-scheme colour blue", "Edit an entry as"),
        ("cancel session", "Which session?"),
    ],
)
async def test_someone_who_may_not_use_a_command_hears_so_before_how_to_type_it(
    app: Application, typed: str, lead_hears: str
) -> None:
    colleague = await say_one(app, typed, user="newcomer")
    assert f"`{typed.split()[0]} " in colleague.text and "is for network leads" in colleague.text
    assert lead_hears not in colleague.text
    assert lead_hears in (await say_one(app, typed, user="alex")).text


async def test_a_call_with_bad_values_from_someone_not_allowed_hears_who_it_is_for(
    app: Application,
) -> None:
    request = Request(
        Person("console", "newcomer", "Newcomer"),
        "",
        Conversation("D-private"),
        call=Call.of("postpone session", session="soon"),
    )
    [refused] = await app.router.dispatch(request)
    assert "`postpone session` is for network leads" in refused.text
    assert "whole number" not in refused.text
