"""The Slack adapter end to end: the real AsyncApp and AsyncWebClient, requests signed as
Slack signs them, posted over HTTP, and a fake Slack Web API that records every call."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any

import pytest

from bot.app import Application
from bot.arguments import Arguments
from bot.config import Settings, SlackSettings
from bot.errors import ConfigError, UserError
from bot.messages import (
    Button,
    Call,
    Field,
    Form,
    FormField,
    FormFieldKind,
    Reply,
    Section,
    Visibility,
)
from bot.platforms.slack.render import escape
from bot.router import Command, HandlerContext
from bot.serve import PlatformMessenger, build_adapters
from storage.repositories import DeliveryRepository, NetworkRepository, UserRepository
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackApi, SlackHarness, slack_harness
from tests.handlers.test_privacy import everything_stored
from tests.support.platform_buttons import slack_buttons, slack_click, slack_press
from tests.support.sessions import add_session

PINGS = ("<!channel>", "<!here>", "<@U123>")


def _shown(body: dict[str, Any]) -> str:
    """Everything a person could see in one recorded message."""
    return json.dumps(body.get("blocks", [])) + body.get("text", "")


def _dm(text: str, user: str = "U100") -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{user}",
        "user": user,
        "text": text,
        "ts": "1700000000.000100",
    }


def _mention(text: str, channel: str = "C200", user: str = "U100") -> dict[str, Any]:
    return {
        "type": "app_mention",
        "channel": channel,
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": "1700000000.000200",
    }


def _click(value: str, action_id: str, *, channel: str = "C200", response_url: str) -> dict:
    return slack_click(action_id, value, response_url, channel=channel)


def _no_private_post_in_shared_channels(slack: SlackHarness) -> None:
    for call in slack.api.of("chat.postMessage"):
        assert str(call.body["channel"]).startswith("D"), call.body


# -- each command through /ally, a direct message and an @mention ---------------------------


async def test_ally_help_answers_privately_through_the_response_url(app: Application) -> None:
    async with slack_harness(app) as slack:
        status, _, _ = await slack.command("help")
        assert status == 200
        [answer] = await slack.api.wait_for_calls("response_url")
    assert answer.body["response_type"] == "ephemeral"
    assert "pick one to see how" in _shown(answer.body)
    assert answer.body["blocks"][0]["type"] == "header"


def _share_button(body: dict[str, Any]) -> dict[str, Any]:
    [button] = [b for b in slack_buttons(body) if b["text"]["text"] == "Share in channel"]
    return button


async def test_ally_networks_in_a_channel_is_answered_privately_and_can_be_shared(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        await slack.command("networks", channel="C200")
        [answer] = await slack.api.wait_for_calls("response_url")
        # The person's own command is not shown to the channel...
        assert answer.body["response_type"] == "ephemeral"
        for name in ("Pride Network", "Race Equality Network", "Disability Network"):
            assert name in _shown(answer.body)
        # ...until they share the answer: then the bot posts it, without the button.
        shared = await slack_press(slack, _share_button(answer.body), channel="C200")
    assert shared["response_type"] == "in_channel"
    assert "Pride Network" in _shown(shared)
    assert "Share in channel" not in _shown(shared)


async def test_the_calendar_can_be_shared_from_a_channel_but_not_from_a_direct_message(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        await slack.command(
            "calendar", channel="C200", response_url=slack.api.response_url("in-channel")
        )
        await slack.command(
            "calendar", channel="D100", response_url=slack.api.response_url("in-dm")
        )
        # Both are answered in the background, in whichever order they finish.
        answers = {
            call.body["_url"]: call for call in await slack.api.wait_for_calls("response_url", 2)
        }
        in_channel, in_dm = answers["in-channel"], answers["in-dm"]
        assert in_channel.body["response_type"] == "ephemeral"
        assert "Awareness calendar" in _shown(in_channel.body)
        assert "Share in channel" not in _shown(in_dm.body)
        shared = await slack_press(slack, _share_button(in_channel.body), channel="C200")
    assert shared["response_type"] == "in_channel"
    assert "Awareness calendar" in _shown(shared)


async def test_ally_network_pride_shows_its_details(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.command("network pride", channel="D100")
        [answer] = await slack.api.wait_for_calls("response_url")
    # In a direct message nothing is shown to a channel.
    assert answer.body["response_type"] == "ephemeral"
    assert answer.body["blocks"][0]["text"]["text"] == "Pride Network"
    assert "Coming up" in _shown(answer.body)


async def test_a_direct_message_is_answered_in_the_direct_message(app: Application) -> None:
    async with slack_harness(app) as slack:
        status, _, _ = await slack.event(_dm("network pride"), "Ev-dm-1")
        assert status == 200
        [answer] = await slack.api.wait_for_calls("chat.postMessage")
    assert answer.body["channel"] == "DU100"
    assert "Pride Network" in _shown(answer.body)


async def test_messages_from_bots_and_edits_are_not_answered(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.event({**_dm("help"), "bot_id": "B999"}, "Ev-bot")
        await slack.event({**_dm("help"), "subtype": "message_changed"}, "Ev-edit")
        await slack.adapter.drain()
        assert slack.api.of("chat.postMessage") == []


async def test_a_mention_asking_for_something_public_is_answered_in_the_channel(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        await slack.event(_mention("networks"), "Ev-mention-1")
        [answer] = await slack.api.wait_for_calls("chat.postMessage")
    assert answer.body["channel"] == "C200"
    assert "Pride Network" in _shown(answer.body)


async def test_a_mention_asking_for_something_private_is_answered_ephemerally(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        await slack.event(_mention("help"), "Ev-mention-2")
        [answer] = await slack.api.wait_for_calls("chat.postEphemeral")
        await slack.adapter.drain()
        assert answer.body["channel"] == "C200"
        assert answer.body["user"] == "U100"
        assert "pick one to see how" in _shown(answer.body)
        assert slack.api.of("chat.postMessage") == []


async def test_private_replies_never_reach_a_shared_channel(app: Application) -> None:
    async def who_is_in(context: HandlerContext) -> Reply:
        return Reply(text="Members of Pride Network: Robin, Sam", visibility=Visibility.PRIVATE)

    app.router.add(Command(phrase="who is in", handler=who_is_in, summary="test"))
    async with slack_harness(app) as slack:
        # One at a time: a person's first requests racing each other is not what this tests.
        await slack.command("who is in", channel="C200")
        await slack.adapter.drain()
        await slack.event(_mention("who is in"), "Ev-private-1")
        await slack.adapter.drain()
        await slack.event(_dm("who is in"), "Ev-private-2")
        await slack.adapter.drain()
        [by_url] = slack.api.of("response_url")
        assert by_url.body["response_type"] == "ephemeral"
        assert len(slack.api.of("chat.postEphemeral")) == 1
        _no_private_post_in_shared_channels(slack)
        assert len(slack.api.of("chat.postMessage")) == 1


# -- buttons and forms ------------------------------------------------------------------


async def test_a_button_does_what_typing_its_command_does(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.command("networks", channel="C200")
        [listing] = await slack.api.wait_for_calls("response_url")
        buttons = [
            element
            for block in listing.body["blocks"]
            if block["type"] == "actions"
            for element in block["elements"]
        ]
        pride = {"c": "network", "v": [["network", "pride"]]}
        details = next(b for b in buttons if json.loads(b["value"]) == pride)
        assert len(details["action_id"]) <= 255
        status, _, _ = await slack.interaction(
            _click(
                details["value"],
                details["action_id"],
                response_url=slack.api.response_url("click"),
            )
        )
        assert status == 200
        answers = await slack.api.wait_for_calls("response_url", 2)
    assert answers[1].body["_url"] == "click"
    assert answers[1].body["blocks"][0]["text"]["text"] == "Pride Network"


@dataclass(frozen=True, slots=True)
class Rsvp(Arguments):
    guests: int
    note: str = ""

    def words(self) -> str:
        return f"{self.guests}" + (f" note: {self.note}" if self.note else "")


RSVP_FORM = Form(
    id="rsvp",
    title="Bring guests",
    call=Call("rsvp"),
    fields=(
        FormField("guests", "Guests", kind=FormFieldKind.NUMBER),
        FormField("note", "Note", kind=FormFieldKind.MULTILINE, required=False),
    ),
)


def _register_rsvp(app: Application) -> list[str]:
    received: list[str] = []

    async def offer(context: HandlerContext) -> Reply:
        return Reply(text="Bring guests?", buttons=(Button("Bring guests", "", form=RSVP_FORM),))

    async def rsvp(context: HandlerContext) -> Reply:
        given = context.given(Rsvp)
        if given.guests > 5:
            raise UserError("Up to 5 guests, please.", field="guests")
        received.append(given.words())
        return Reply(text=f"Saved: {given.guests} guests.")

    app.router.add(Command(phrase="offer", handler=offer, summary="test"))
    app.router.add(Command(phrase="rsvp", handler=rsvp, summary="test", arguments=Rsvp))
    return received


def _submission(view: dict[str, Any], guests: str, note: str) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "user": {"id": "U100", "username": "robin"},
        "api_app_id": "A0001",
        "team": {"id": "T0001"},
        "trigger_id": "trigger.submit",
        "view": {
            **view,
            "id": "V1",
            "state": {
                "values": {
                    "guests": {"value": {"type": "number_input", "value": guests}},
                    "note": {"value": {"type": "plain_text_input", "value": note}},
                }
            },
        },
    }


async def test_a_form_opens_and_its_errors_show_next_to_the_field(app: Application) -> None:
    received = _register_rsvp(app)
    async with slack_harness(app) as slack:
        await slack.command("offer", channel="C200")
        [offer] = await slack.api.wait_for_calls("response_url")
        button = offer.body["blocks"][-1]["elements"][0]
        await slack.interaction(
            _click(button["value"], button["action_id"], response_url=slack.api.response_url("o"))
        )
        [opened] = await slack.api.wait_for_calls("views.open")
        view = opened.body["view"]
        assert opened.body["trigger_id"] == "trigger.click"
        assert [block["block_id"] for block in view["blocks"]] == ["guests", "note"]

        # Missing a required field: refused before the command runs.
        status, text, _ = await slack.interaction(_submission(view, "", ""))
        assert status == 200
        assert json.loads(text)["errors"] == {"guests": "Please fill in “Guests”."}

        # The handler's own refusal, aimed at a field, shows next to that field.
        status, text, _ = await slack.interaction(_submission(view, "9", "tea"))
        assert json.loads(text) == {
            "response_action": "errors",
            "errors": {"guests": "Up to 5 guests, please."},
        }

        status, text, _ = await slack.interaction(_submission(view, "2", "step-free access"))
        assert status == 200
        assert text == ""
        answers = await slack.api.wait_for_calls("response_url", 2)
    assert received == ["2 note: step-free access"]
    assert "Saved: 2 guests." in _shown(answers[-1].body)


def _initial_values(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The state Slack sends back for a modal submitted as it opened."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        element = block["element"]
        values[block["block_id"]] = {
            element["action_id"]: {"type": element["type"], "value": element.get("initial_value")}
        }
    return values


async def test_a_lead_edits_a_session_in_a_modal_filled_with_what_it_says_now(
    app: Application,
) -> None:
    session_id = await add_session(app, title="Allyship basics", capacity=10)
    async with app.database.transaction() as session:
        pride = await NetworkRepository(session).by_slug("pride")
        assert pride is not None
        await NetworkRepository(session).add_lead(pride.id, "slack:ULEAD", app.services.clock.now())
    async with slack_harness(app) as slack:
        url = slack.api.response_url("details")
        await slack.command(
            f"session {session_id}", channel="DULEAD", user="ULEAD", response_url=url
        )
        [details] = await slack.api.wait_for_calls("response_url")
        [edit] = [
            element
            for block in details.body["blocks"]
            if block["type"] == "actions"
            for element in block["elements"]
            if element["text"]["text"] == "Edit session"
        ]
        # The lead opens it: the form is built for the person pressing, with their roles.
        click = _click(edit["value"], edit["action_id"], response_url=url)
        await slack.interaction({**click, "user": {"id": "ULEAD", "username": "lee"}})
        [opened] = await slack.api.wait_for_calls("views.open")
        view = opened.body["view"]
        state = _initial_values(view)
        assert state["title"]["value"]["value"] == "Allyship basics"
        state["when"]["value"]["value"] = "10 Jan 2027 14:00"
        status, text, _ = await slack.interaction(
            {
                "type": "view_submission",
                "user": {"id": "ULEAD", "username": "lee"},
                "api_app_id": "A0001",
                "team": {"id": "T0001"},
                "trigger_id": "trigger.submit",
                "view": {**view, "id": "V1", "state": {"values": state}},
            }
        )
        assert status == 200 and text == ""
        answers = await slack.api.wait_for_calls("response_url", 2)
    assert "when: Sun 10 Jan 2027, 14:00 GMT" in _shown(answers[-1].body)


# -- the App Home -------------------------------------------------------------------------


async def test_app_home_is_published_with_lead_shortcuts_for_leads(app: Application) -> None:
    async with app.database.transaction() as session:
        pride = await NetworkRepository(session).by_slug("pride")
        assert pride is not None
        await NetworkRepository(session).add_lead(pride.id, "slack:ULEAD", app.services.clock.now())
    opened = {"type": "app_home_opened", "user": "ULEAD", "channel": "DULEAD", "tab": "home"}
    async with slack_harness(app) as slack:
        await slack.event(opened, "Ev-home-1")
        await slack.event({**opened, "user": "U100"}, "Ev-home-2")
        published = await slack.api.wait_for_calls("views.publish", 2)
    by_user = {call.body["user_id"]: call.body["view"] for call in published}
    lead_view, member_view = json.dumps(by_user["ULEAD"]), json.dumps(by_user["U100"])
    assert by_user["ULEAD"]["type"] == "home"
    assert "Coming up" in lead_view and "Coming up" in member_view
    assert "Your lead tasks" in lead_view
    assert "Your lead tasks" not in member_view
    assert len(by_user["ULEAD"]["blocks"]) <= 100


async def test_a_leads_change_refreshes_the_app_home_of_the_people_it_reaches(
    app: Application,
) -> None:
    session_id = await add_session(app, title="Allyship basics", capacity=1)
    async with slack_harness(app) as slack:
        messenger = PlatformMessenger()
        messenger.register("slack", slack.adapter.messenger())
        messenger.register("console", RecordingMessenger())
        app.services.messenger = messenger
        # One after the other, so U100 has the place and U101 waits (commands are answered
        # in the background, in whichever order they finish).
        await slack.command(f"register {session_id}", channel="D100", user="U100")
        await slack.adapter.drain()
        await slack.command(f"register {session_id}", channel="D101", user="U101")
        await slack.adapter.drain()
        before = len(slack.api.of("views.publish"))
        # The lead is on another platform: only the notices can tell Slack something changed.
        await say_one(app, f"postpone session {session_id} to 10 Jan 2027 14:00", user="alex")
        await slack.adapter.drain()
        refreshed = slack.api.of("views.publish")[before:]
    by_user = {call.body["user_id"]: json.dumps(call.body["view"]) for call in refreshed}
    assert set(by_user) == {"U100", "U101"}
    assert "10 Jan 2027" in by_user["U100"]
    # The waitlisted person's home still shows their place in the queue, at the new time.
    assert "10 Jan 2027" in by_user["U101"] and "waitlist" in by_user["U101"].lower()


async def test_a_freed_place_refreshes_the_app_home_of_everyone_still_waiting(
    app: Application,
) -> None:
    session_id = await add_session(app, title="Allyship basics", capacity=1)
    async with slack_harness(app) as slack:
        for user in ("U100", "U101", "U102"):
            await slack.command(f"register {session_id}", channel=f"D{user}", user=user)
            await slack.adapter.drain()
        before = len(slack.api.of("views.publish"))
        await slack.command(f"cancel {session_id}", channel="DU100", user="U100")
        await slack.adapter.drain()
        refreshed = slack.api.of("views.publish")[before:]
    by_user = {call.body["user_id"]: json.dumps(call.body["view"]) for call in refreshed}
    assert set(by_user) == {"U100", "U101", "U102"}
    assert "waitlist" not in by_user["U101"].lower()  # the freed place is theirs
    assert "number 1 on the waitlist" in by_user["U102"]  # one nearer the front


class HeldSleep:
    """Stands in for asyncio.sleep: records each wait and holds it until released."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self._released = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await self._released.wait()

    def release(self) -> None:
        self._released.set()


async def test_changes_for_one_person_in_a_run_refresh_their_app_home_once(
    app: Application,
) -> None:
    held = HeldSleep()
    async with slack_harness(app, home_refresh_delay=0.5, sleep=held) as slack:
        for _ in range(5):
            app.services.announce_changes(frozenset({"slack:U100", "console:alex"}))
            # Let the rebuild start and wait, so the later changes arrive during its wait.
            await asyncio.sleep(0)
        assert held.waits == [0.5]
        assert slack.api.of("views.publish") == []
        held.release()
        await slack.adapter.drain()
        assert [call.body["user_id"] for call in slack.api.of("views.publish")] == ["U100"]
    # A stopped adapter no longer watches.
    assert app.services.change_watchers == []


# -- acknowledgement, deduplication, signatures --------------------------------------------


async def test_slow_work_runs_after_the_acknowledgement(app: Application) -> None:
    release = asyncio.Event()

    async def slowly(context: HandlerContext) -> Reply:
        await release.wait()
        return Reply(text="Done at last.")

    app.router.add(Command(phrase="slowly", handler=slowly, summary="test"))
    async with slack_harness(app) as slack:
        status, _, took = await slack.command("slowly")
        # Acknowledged while the handler is still blocked.
        assert status == 200
        assert took < 3.0
        assert slack.api.of("response_url") == []
        release.set()
        [answer] = await slack.api.wait_for_calls("response_url")
    assert "Done at last." in _shown(answer.body)


async def test_a_slow_direct_message_is_acknowledged_before_it_is_answered(
    app: Application,
) -> None:
    # Bolt acknowledges an event as its listener returns: the work must not hold that up.
    release = asyncio.Event()

    async def slowly(context: HandlerContext) -> Reply:
        await release.wait()
        return Reply(text="Done at last.")

    app.router.add(Command(phrase="slowly", handler=slowly, summary="test"))
    async with slack_harness(app) as slack:
        # Bounded: an acknowledgement waiting for the work would never come.
        status, _, _ = await asyncio.wait_for(slack.event(_dm("slowly"), "Ev-slow-1"), 3.0)
        assert status == 200
        assert slack.api.of("chat.postMessage") == []
        release.set()
        [answer] = await slack.api.wait_for_calls("chat.postMessage")
    assert "Done at last." in _shown(answer.body)


async def test_retried_and_redelivered_events_act_once(app: Application) -> None:
    async with slack_harness(app) as slack:
        body = slack.event_body(_dm("help"), "Ev-retried")
        for retry in (None, 1, 2, None):
            status, _, _ = await slack.post(body, "application/json", retry_num=retry)
            assert status == 200
        await slack.adapter.drain()
        assert len(slack.api.of("chat.postMessage")) == 1


async def test_a_redelivered_command_acts_once(app: Application) -> None:
    async with slack_harness(app) as slack:
        body = slack.command_body("help")
        for retry in (None, 1, 2):
            await slack.post(body, "application/x-www-form-urlencoded", retry_num=retry)
        await slack.adapter.drain()
        assert len(slack.api.of("response_url")) == 1
        # Typing the same words again is a new request (Slack gives it a new trigger id).
        await slack.command("help")
        await slack.adapter.drain()
        assert len(slack.api.of("response_url")) == 2


async def test_deduplication_is_kept_in_the_database(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.event(_dm("help"), "Ev-stored")
        await slack.adapter.drain()
    async with app.database.transaction() as session:
        seen_again = await DeliveryRepository(session).first_time(
            "slack:event:Ev-stored", "slack", app.services.clock.now()
        )
    assert seen_again is False


async def test_requests_with_bad_signatures_are_refused(app: Application) -> None:
    async with slack_harness(app) as slack:
        body = slack.command_body("help")
        tampered = body.replace("help", "networks")
        assert (await slack.post(tampered, "application/x-www-form-urlencoded", signed_body=body))[
            0
        ] == 401
        stale = int(time.time()) - 10 * 60
        assert (await slack.post(body, "application/x-www-form-urlencoded", timestamp=stale))[
            0
        ] == 401
        assert (await slack.post(body, "application/x-www-form-urlencoded", unsigned=True))[
            0
        ] == 401
        assert (await slack.post(body, "application/x-www-form-urlencoded", sign_with="wrong"))[
            0
        ] == 401
        await slack.adapter.drain()
        assert slack.api.of("response_url") == []


def test_http_mode_without_a_signing_secret_is_refused_at_start_up(app: Application) -> None:
    settings = Settings(slack=SlackSettings(bot_token="xoxb-test", signing_secret=""))
    with pytest.raises(ConfigError, match="signing_secret"):
        build_adapters(settings, app)


def test_socket_mode_serves_no_http_route(app: Application) -> None:
    settings = Settings(
        slack=SlackSettings(bot_token="xoxb-test", app_token="xapp-test", mode="socket")
    )
    [adapter] = build_adapters(settings, app)
    assert adapter.routes() == []


# -- escaping and Block Kit limits ------------------------------------------------------------


async def test_text_people_type_can_never_ping_anyone(app: Application) -> None:
    async def echo(context: HandlerContext) -> Reply:
        typed = context.args
        return Reply(
            text=typed,
            heading=typed,
            sections=(
                Section(
                    heading=typed,
                    text=typed,
                    fields=(Field(typed, typed),),
                    buttons=(Button(typed, "help"),),
                ),
            ),
            context=typed,
            visibility=Visibility.CONVERSATION,
        )

    app.router.add(Command(phrase="echo", handler=echo, summary="test"))
    # As Slack sends what people type: `&`, `<` and `>` already encoded.
    typed = "echo hi " + " ".join(escape(ping) for ping in PINGS) + " &amp; co"
    async with slack_harness(app) as slack:
        await slack.command(typed)
        await slack.adapter.drain()
        await slack.event(_dm(typed), "Ev-echo-1")
        await slack.adapter.drain()
        await slack.event(_mention(typed), "Ev-echo-2")
        await slack.adapter.drain()
        assert len(slack.api.of("response_url")) == 1
        assert len(slack.api.of("chat.postMessage")) == 2
        sent = slack.api.everything_sent()
    for ping in PINGS:
        assert ping not in sent
    assert "&lt;!channel&gt;" in sent
    assert "&amp; co" in sent


def _long_list(context: HandlerContext) -> Reply:
    items = [f"Item {number}: " + "x" * 40 for number in range(1, 301)]
    return Reply(
        text="\n".join(items),
        heading="A long list",
        sections=tuple(
            Section(
                heading=f"Item {number}",
                text="y" * 20,
                buttons=(Button("Pick " * 30, f"network {number}"),),
            )
            for number in range(1, 301)
        ),
    )


async def test_a_300_item_list_is_split_within_block_kit_limits(app: Application) -> None:
    async def long_list(context: HandlerContext) -> Reply:
        return _long_list(context)

    app.router.add(Command(phrase="long list", handler=long_list, summary="test"))
    async with slack_harness(app) as slack:
        await slack.event(_dm("long list"), "Ev-long-1")
        await slack.adapter.drain()
        await slack.command("long list")
        await slack.adapter.drain()
        messages = slack.api.of("chat.postMessage")
        [note] = slack.api.of("response_url")
    # The direct message carries it all; the response_url (five uses at most) points there.
    assert "direct message" in note.body["text"]
    # A header and 300 x (section + buttons) is 601 blocks: 13 messages, twice over.
    assert len(messages) == 2 * 13
    seen = ""
    for message in messages:
        blocks = message.body["blocks"]
        assert 0 < len(blocks) <= 50
        for block in blocks:
            if "text" in block:
                assert len(block["text"]["text"]) <= 3000
            for element in block.get("elements", []):
                if element.get("type") == "button":
                    assert len(element["text"]["text"]) <= 75
                    assert len(element["value"]) <= 2000
                    assert len(element["action_id"]) <= 255
        assert len(message.body["text"]) <= 3000
        seen += json.dumps(blocks)
    for number in (1, 150, 300):
        assert f"Item {number}*" in seen


async def test_rate_limited_calls_are_retried_after_retry_after(app: Application) -> None:
    async with slack_harness(app) as slack:
        slack.api.rate_limit("chat.postMessage", retry_after=0)
        await slack.event(_dm("help"), "Ev-429")
        await slack.api.wait_for_calls("chat.postMessage", 2)
        await slack.adapter.drain()
        assert len(slack.api.of("chat.postMessage")) == 2


async def test_an_ephemeral_reply_slack_refuses_goes_by_direct_message(app: Application) -> None:
    async with slack_harness(app) as slack:
        slack.api.fail("chat.postEphemeral", "not_in_channel")
        await slack.event(_mention("help", channel="C999"), "Ev-refused")
        [answer] = await slack.api.wait_for_calls("chat.postMessage")
    assert answer.body["channel"] == "DU100"
    assert "pick one to see how" in _shown(answer.body)


# -- joining a network invites the person into its channel -----------------------------------


async def _join_pride_over_slack(app: Application, slack: SlackHarness) -> None:
    # As `allybot serve` wires it: each notice goes out on its recipient's platform (the
    # demo's console leads get theirs recorded).
    messenger = PlatformMessenger()
    messenger.register("slack", slack.adapter.messenger())
    messenger.register("console", RecordingMessenger())
    app.services.messenger = messenger
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "slack", "members", "C500")
        await networks.add_lead(pride.id, "slack:ULEAD", app.services.clock.now())
    await slack.command("agree", channel="D100")
    await slack.adapter.drain()
    await slack.command("join pride", channel="D100")
    await slack.adapter.drain()


async def test_joining_a_network_invites_the_person_into_its_channel(app: Application) -> None:
    async with slack_harness(app) as slack:
        await _join_pride_over_slack(app, slack)
        [invite] = slack.api.of("conversations.invite")
        assert invite.body == {"channel": "C500", "users": "U100"}
        assert slack.api.of("chat.postMessage") == []
        assert "joined Pride Network" in _shown(slack.api.of("response_url")[-1].body)
        # What the App Home shows has changed, so it is published again.
        assert "U100" in {call.body["user_id"] for call in slack.api.of("views.publish")}


async def test_when_the_invite_fails_the_person_gets_the_link_and_leads_the_fix(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        slack.api.fail("conversations.invite", "not_in_channel")
        await _join_pride_over_slack(app, slack)
        by_channel = {c.body["channel"]: _shown(c.body) for c in slack.api.of("chat.postMessage")}
        joined = _shown(slack.api.of("response_url")[-1].body)
    # One answer, in the place they asked, that says what happened and gives the link.
    assert "I couldn't add you to its members' channel myself" in joined
    assert "https://slack.com/app_redirect?channel=C500" in joined
    assert "adding you" not in joined
    assert "Add the bot to the channel" in by_channel["DULEAD"]
    # The lead learns what to fix, not who joined.
    assert "U100" not in by_channel["DULEAD"]
    assert set(by_channel) == {"DULEAD"}


async def test_a_public_slack_channel_is_refused_as_a_members_space_a_private_one_is_set(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        messenger = PlatformMessenger()
        messenger.register("slack", slack.adapter.messenger())
        app.services.messenger = messenger
        app.services.admins = frozenset({"slack:U100"})
        slack.api.channel("C-OPEN", is_private=False)
        slack.api.channel("C-CLOSED", is_private=True)

        await slack.command("channel pride slack members C-OPEN", channel="D100")
        await slack.adapter.drain()
        refused = _shown(slack.api.of("response_url")[-1].body)
        await slack.command("channel pride slack members C-CLOSED", channel="D100")
        await slack.adapter.drain()
        accepted = _shown(slack.api.of("response_url")[-1].body)
        asked = [call.body["channel"] for call in slack.api.of("conversations.info")]
    assert "is public" in refused and "C-OPEN public" in refused
    assert "members channel on slack is set" in accepted
    assert asked == ["C-OPEN", "C-CLOSED"]
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        assert await networks.channels(pride.id, "slack") == {"members": "C-CLOSED"}


# -- Socket Mode ------------------------------------------------------------------------------


async def test_socket_mode_answers_a_command_and_acts_once_on_a_redelivery(
    app: Application,
) -> None:
    api = FakeSlackApi()
    await api.start()
    settings = Settings(
        slack=SlackSettings(
            bot_token="xoxb-test", app_token="xapp-test", mode="socket", api_url=api.api_url
        )
    )
    [adapter] = build_adapters(settings, app)
    await adapter.start()
    try:
        payload = {
            "team_id": "T0001",
            "channel_id": "D100",
            "user_id": "U100",
            "user_name": "robin",
            "command": "/ally",
            "text": "network pride",
            "response_url": api.response_url("socket"),
            "trigger_id": "trigger.socket",
            "api_app_id": "A0001",
        }
        # Socket Mode may redeliver with a new envelope id and the counter reset.
        for envelope_id in ("env-1", "env-2"):
            await api.socket_send(
                {
                    "envelope_id": envelope_id,
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": payload,
                }
            )
        acks = await api.wait_for_calls("socket_ack", 2)
        [answer] = await api.wait_for_calls("response_url")
        await adapter.drain()
        assert len(api.of("response_url")) == 1
    finally:
        await adapter.stop()
        await api.stop()
    assert {ack.body["envelope_id"] for ack in acks} == {"env-1", "env-2"}
    assert "Pride Network" in _shown(answer.body)
    # The socket URL was asked for through SLACK_API_URL, not slack.com.
    assert api.of("apps.connections.open")


async def test_a_slow_form_closes_at_once_and_the_answer_follows(app: Application) -> None:
    release = asyncio.Event()

    async def offer(context: HandlerContext) -> Reply:
        return Reply(text="Bring guests?", buttons=(Button("Bring guests", "", form=RSVP_FORM),))

    async def rsvp(context: HandlerContext) -> Reply:
        await release.wait()
        return Reply(text="Saved, eventually.")

    app.router.add(Command(phrase="offer", handler=offer, summary="test"))
    app.router.add(Command(phrase="rsvp", handler=rsvp, summary="test"))
    async with slack_harness(app, form_budget_seconds=0.05) as slack:
        await slack.command("offer", channel="D100")
        [offer_reply] = await slack.api.wait_for_calls("response_url")
        button = offer_reply.body["blocks"][-1]["elements"][0]
        await slack.interaction(
            _click(button["value"], button["action_id"], response_url=slack.api.response_url("o"))
        )
        [opened] = await slack.api.wait_for_calls("views.open")
        status, text, took = await slack.interaction(_submission(opened.body["view"], "2", ""))
        assert (status, text) == (200, "")
        assert took < 3.0
        release.set()
        answers = await slack.api.wait_for_calls("response_url", 2)
    assert "Saved, eventually." in _shown(answers[-1].body)


async def test_the_app_home_refreshed_after_forget_me_records_nobody(app: Application) -> None:
    session_id = await add_session(app, title="Allyship basics")
    async with slack_harness(app) as slack:
        for text in ("join pride", "agree", f"register {session_id}"):
            await slack.command(text, channel="DU100")
            await slack.adapter.drain()
        before = len(slack.api.of("views.publish"))
        await slack.command("forget me confirm", channel="DU100")
        await slack.adapter.drain()
        # Opening the tab later records nobody either.
        opened = {"type": "app_home_opened", "user": "U100", "channel": "DU100", "tab": "home"}
        await slack.event(opened, "Ev-home-after-forget")
        await slack.adapter.drain()
        refreshed = slack.api.of("views.publish")[before:]
    assert [call.body["user_id"] for call in refreshed] == ["U100", "U100"]
    assert "Allyship basics: registered" not in json.dumps(refreshed[-1].body["view"])
    async with app.database.transaction() as session:
        assert await UserRepository(session).get_by_key("slack", "U100") is None
    assert "u100" not in await everything_stored(app)
