"""People named as Slack names them, and typed text shown as it was typed, through the
real AsyncApp and AsyncWebClient against the fake Web API."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.app import Application
from bot.messages import Mention, Reply, Visibility
from bot.platforms.console import render as console_render
from bot.platforms.slack.render import render as slack_render
from bot.platforms.teams.render import render as teams_render
from bot.router import Command, HandlerContext
from storage.models import SessionRegistration
from storage.repositories import NetworkRepository, UserRepository
from tests.fakes.slack_api import BOT_USER_ID, SlackHarness, slack_harness
from tests.support.sessions import add_session


def _shown(body: dict[str, Any]) -> str:
    return json.dumps(body.get("blocks", []), ensure_ascii=False) + body.get("text", "")


def _dm(text: str, user: str = "U100") -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{user}",
        "user": user,
        "text": text,
        "ts": "1700000000.000100",
    }


def _echo(app: Application) -> None:
    async def echo(context: HandlerContext) -> Reply:
        return Reply(text=context.args, heading=context.args, visibility=Visibility.CONVERSATION)

    app.router.add(Command(phrase="echo", handler=echo, summary="test"))


async def _make_lead(app: Application, key: str) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.add_lead(pride.id, key, app.services.clock.now())


async def _answers(slack: SlackHarness) -> list[str]:
    await slack.adapter.drain()
    return [_shown(call.body) for call in slack.api.of("response_url")]


# -- text Slack has encoded ------------------------------------------------------------------


async def test_a_typed_ampersand_is_shown_once_escaped_whichever_way_it_arrives(
    app: Application,
) -> None:
    _echo(app)
    # Slack encodes what people type: `Q&A <soon>` arrives as `Q&amp;A &lt;soon&gt;`.
    sent_as = "echo Q&amp;A &lt;soon&gt;"
    async with slack_harness(app) as slack:
        await slack.command(sent_as)
        await slack.adapter.drain()
        await slack.event(_dm(sent_as), "Ev-amp-1")
        await slack.adapter.drain()
        mention = {
            "type": "app_mention",
            "channel": "C200",
            "user": "U100",
            "text": f"<@{BOT_USER_ID}> {sent_as}",
            "ts": "1700000000.000200",
        }
        await slack.event(mention, "Ev-amp-2")
        await slack.adapter.drain()
        calls = (*slack.api.of("response_url"), *slack.api.of("chat.postMessage"))
        shown = [_shown(call.body) for call in calls]
    assert len(shown) == 3
    for message in shown:
        # Escaped exactly once on the way out: Slack shows `Q&A <soon>`.
        assert "Q&amp;A &lt;soon&gt;" in message
        assert "&amp;amp;" not in message and "&amp;lt;" not in message


async def test_a_typed_channel_ping_and_a_real_one_are_both_shown_never_sent(
    app: Application,
) -> None:
    _echo(app)
    async with slack_harness(app) as slack:
        # Typed as text: `<!channel>`; and Slack's own markup for @channel and @here.
        await slack.command("echo &lt;!channel&gt; and <!here> in <#C300|general>")
        [message] = await _answers(slack)
        sent = slack.api.everything_sent()
    assert "<!channel>" not in sent and "<!here>" not in sent
    assert "&lt;!channel&gt; and @here in #general" in message


async def test_access_needs_with_an_ampersand_are_kept_as_typed(app: Application) -> None:
    session_id = await add_session(app, title="Allyship basics", capacity=10)
    async with slack_harness(app) as slack:
        await slack.command(
            f"register {session_id} needs: captions &amp; a quiet room", channel="D100"
        )
        await slack.adapter.drain()
    async with app.database.transaction() as session:
        needs = (await session.scalars(select(SessionRegistration.access_needs))).all()
    assert needs == ["captions & a quiet room"]


# -- names, not ids ----------------------------------------------------------------------------


async def test_someone_who_only_sent_a_direct_message_is_known_by_their_slack_name(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        slack.api.user("U100", display_name="Kim", real_name="Kim Lee")
        await slack.event(_dm("networks"), "Ev-name-1")
        await slack.adapter.drain()
        await slack.command("help", user="U100", user_name="kim.legacy")
        await slack.adapter.drain()
        looked_up = slack.api.of("users.info")
    async with app.database.transaction() as session:
        user = await UserRepository(session).get_by_key("slack", "U100")
    assert user is not None and user.display_name == "Kim"
    # Kept for a while: one look-up for two requests.
    assert len(looked_up) == 1


async def test_the_real_name_stands_in_when_there_is_no_display_name(app: Application) -> None:
    await _make_lead(app, "slack:U0LEADPRIDE")
    async with slack_harness(app) as slack:
        slack.api.user("U0LEADPRIDE", real_name="Lee Pride")
        await slack.command("network pride", channel="D100")
        [message] = await _answers(slack)
    assert "Lee Pride" in message
    assert "U0LEADPRIDE" not in message


async def test_a_new_lead_is_mentioned_in_the_private_answer_and_named_in_the_network(
    app: Application,
) -> None:
    await _make_lead(app, "slack:ULEAD")
    async with slack_harness(app) as slack:
        slack.api.user("ULEAD", display_name="Lee")
        slack.api.user("U0ALEX", display_name="Alex")
        await slack.command("add lead pride <@U0ALEX>", channel="DULEAD", user="ULEAD")
        await slack.adapter.drain()
        await slack.command("network pride", channel="C200", user="ULEAD")
        done, network = await _answers(slack)
    assert "Done: <@U0ALEX> is now a lead of Pride Network." in done
    # In what a channel may see: the name, never a mention.
    assert "Alex" in network and "<@U0ALEX>" not in network and "U0ALEX" not in network


async def test_a_name_slack_will_not_give_leaves_the_id_and_is_asked_again_later(
    app: Application,
) -> None:
    await _make_lead(app, "slack:U0GONE")
    async with slack_harness(app) as slack:
        await slack.command("network pride", channel="D100")
        [message] = await _answers(slack)
    assert "U0GONE" in message


def test_a_mention_is_slacks_own_only_on_slack_and_the_name_everywhere_else() -> None:
    reply = Reply(text=f"Done: {Mention('slack:U0ALEX', 'Alex <3')} is now a lead.")
    [slack] = slack_render(reply)
    assert slack.text == "Done: <@U0ALEX> is now a lead."
    assert console_render(reply).text == "Done: Alex <3 is now a lead."
    teams = json.dumps([message.text for message in teams_render(reply)])
    assert "Alex" in teams and "\\u001e" not in teams and "U0ALEX" not in teams
    # A console person mentioned on Slack is shown by name, escaped.
    [other] = slack_render(Reply(text=f"Hi {Mention('console:alex', 'Alex <3')}"))
    assert other.text == "Hi Alex &lt;3"


async def test_typed_text_can_never_make_a_mention(app: Application) -> None:
    _echo(app)
    forged = "echo \x1eslack:U0ALEX\x1fAlex\x1e"
    async with slack_harness(app) as slack:
        await slack.command(forged)
        [message] = await _answers(slack)
    assert "<@U0ALEX>" not in message


async def test_a_host_who_only_used_a_direct_message_is_listed_by_name(app: Application) -> None:
    from tests.support.breakouts import breakout_session

    session_id = await breakout_session(app)
    async with slack_harness(app) as slack:
        slack.api.user("U0KIM", display_name="Kim")
        await slack.event(_dm(f"register {session_id}", user="U0KIM"), "Ev-host-1")
        await slack.adapter.drain()
        await slack.event(
            _dm(f"host {session_id} Finding the words &amp; speaking up", user="U0KIM"),
            "Ev-host-2",
        )
        await slack.adapter.drain()
        await slack.command(f"topics {session_id}", channel="D100")
        [listed] = await _answers(slack)
    assert "Hosted by Kim" in listed
    assert "U0KIM" not in listed
    assert "Finding the words &amp; speaking up" in listed
