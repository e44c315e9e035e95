"""Lead tasks in the neutral API and the console: who may see them, an admin's many networks,
and the typed commands kept as shortcuts that read the same specs the forms fill."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from bot.app import Application
from bot.config import Settings
from bot.errors import UserError
from bot.forms import field_errors
from bot.messages import Call, Person
from bot.platforms.console import ConsoleChat
from handlers.lead_tasks.tasks import SHOWN_NETWORKS
from handlers.sessions.arguments import Attended, Invite, Recording
from handlers.sessions.lead_forms import Holder, attendees_form
from storage.models import NetworkSession, OutboxPost
from storage.repositories import NetworkRepository
from storage.statuses import OutboxStatus
from tests.conftest import say_one
from tests.handlers.lead_tasks.test_slack import attendance_of, past_session_with
from tests.handlers.sessions.test_values import add_networks
from tests.support.pressing import press_one
from tests.support.sessions import add_session


@pytest.fixture
def settings() -> Settings:
    return Settings(admins=("console:sam",))


async def test_lead_tasks_are_refused_to_a_colleague(app: Application) -> None:
    reply = await say_one(app, "lead", user="robin")
    assert "Create session" not in [button.label for button in reply.all_buttons]
    assert "lead" in reply.text.lower()


async def test_a_lead_asking_for_a_network_they_do_not_lead_is_told_who_can(
    app: Application,
) -> None:
    await add_networks(app)
    reply = await say_one(app, "lead net-20", user="alex")
    assert "Only the" in reply.text and "leads can see its lead tasks" in reply.text


async def test_an_admin_sees_a_few_networks_whole_and_a_button_for_each_other(
    app: Application,
) -> None:
    await add_networks(app)
    reply = await say_one(app, "lead", user="sam")
    headings = [section.heading for section in reply.sections if section.heading]
    assert len(headings) == SHOWN_NETWORKS
    others = [button for button in reply.all_buttons if button.label.startswith("Tasks: ")]
    assert others and f"{SHOWN_NETWORKS} of " in reply.text
    # Pressing one shows that network's tasks.
    chosen = await press_one(app, others[0], user="sam")
    assert [s.heading for s in chosen.sections if s.heading] == [others[0].label[7:]]


def test_typed_grammar_and_form_values_fill_the_same_specs() -> None:
    assert Invite.parse("12 attendees of 7") == Invite.fill({"session": "12", "attendees_of": "7"})
    assert Invite.parse("12 slack:U1 slack:U2").words() == "12 slack:U1 slack:U2"
    assert Invite.fill({"session": "12", "people": "slack:U1, slack:U2"}).words() == (
        "12 slack:U1 slack:U2"
    )
    assert (
        Attended.parse("12 all").everyone
        and Attended.fill({"session": "12", "people": "all,slack:U1"}).everyone
    )
    assert Attended.fill({"session": "12", "people": "slack:U1,slack:U2"}).words() == (
        "12 slack:U1 slack:U2"
    )
    assert Recording.parse("3 https://v.example/a").url == "https://v.example/a"
    with pytest.raises(UserError) as refused:
        Recording.fill({"url": "https://v.example/a"})
    assert refused.value.field == "session"


async def test_typed_attended_without_people_offers_the_tick_list(app: Application) -> None:
    past = await past_session_with(app, "Past basics", "U201", "U202")
    reply = await say_one(app, f"attended {past}", user="alex")
    [tick] = reply.buttons
    assert tick.label == "Tick who attended" and tick.form is not None
    assert "Who attended Past basics?" in reply.text
    assert "slack:U0123" not in reply.text  # nobody is asked to know anyone's id
    # Typed, the shortcut still works.
    marked = await say_one(app, f"attended {past} slack:U202", user="alex")
    assert "Marked 1 person as attending Past basics" in marked.text
    assert await attendance_of(app, past) == [("U201", False), ("U202", True)]
    # A tick for someone who had no place is refused before the command runs.
    async with app.database.transaction() as session:
        item = await session.get(NetworkSession, past)
        assert item is not None
        form = attendees_form(item, [Holder("U202", "slack:U202", 2, True)])
    assert form.fields[0].initial == "slack:U202"
    assert field_errors(form, {"people": "slack:U202,slack:U999"}) == {
        "people": "Please pick from the options."
    }
    assert field_errors(form, {"people": "all,slack:U202"}) == {}


async def test_typed_recording_link_is_checked(app: Application) -> None:
    past = await past_session_with(app, "Past basics", "U201")
    refused = await say_one(app, f"recording {past} video.example/rec", user="alex")
    assert "starting https://" in refused.text
    saved = await say_one(app, f"recording {past} https://video.example/rec", user="alex")
    assert "Saved" in saved.text


async def test_invite_refuses_a_session_that_is_over(app: Application) -> None:
    past = await past_session_with(app, "Past basics", "U201")
    reply = await say_one(app, f"invite {past} slack:U301", user="alex")
    assert "isn't coming up any more" in reply.text
    assert reply.error_field == "session"


async def test_outbox_problems_are_counted_on_the_network_they_belong_to(
    app: Application,
) -> None:
    now = app.services.clock.now()
    async with app.database.transaction() as session:
        pride = await NetworkRepository(session).by_slug("pride")
        assert pride is not None
        # A failed post and one being retried are problems; a sent one and one waiting to go
        # for the first time are not.
        posts = (
            (OutboxStatus.FAILED, 3),
            (OutboxStatus.SENT, 1),
            (OutboxStatus.PENDING, 1),
            (OutboxStatus.PENDING, 0),
        )
        for n, (status, attempts) in enumerate(posts):
            session.add(
                OutboxPost(
                    schedule_key=f"test:{status}:{n}",
                    occurrence_at=now - timedelta(hours=1),
                    due_at=now - timedelta(hours=1),
                    network_id=pride.id,
                    platform="slack",
                    target_kind="channel",
                    target_ref="C1",
                    message="{}",
                    status=status,
                    attempts=attempts,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    reply = await say_one(app, "lead", user="alex")
    labels = [button.label for button in reply.all_buttons]
    assert labels.count("Outbox: 2 problems") == 1 and labels.count("Outbox") == 1
    assert "Pride Network: " in reply.text and "outbox: 2 problems" in reply.text
    [outbox] = [button for button in reply.all_buttons if button.label == "Outbox: 2 problems"]
    assert outbox.call == Call.of("outbox", network="pride")


async def test_the_console_lists_the_tasks_and_a_form_says_what_to_type(
    app: Application,
) -> None:
    await add_session(app, title="Coming basics")
    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch,
        Person("console", "alex"),
        io.StringIO("lead pride\n"),
        out,
        prompt=False,
        words_for=app.router.words_for,
    )
    await chat.run()
    shown = out.getvalue()
    assert "Pride Network" in shown and "sessions coming up" in shown
    number = shown.split("] Invite")[0].rsplit("[", 1)[1]
    await chat.handle(number)
    assert "type `invite …`" in out.getvalue()
