"""Joining over Slack: the channel invite happens once the join is committed, outside the
database transaction, and the one reply still says what happened. The real AsyncApp and
AsyncWebClient against the fake Web API, on each database."""

from __future__ import annotations

import asyncio

from bot.app import Application
from storage.repositories import MembershipRepository, UserRepository
from tests.fakes.slack_api import Call, slack_harness
from tests.platforms.slack.test_app import _join_pride_over_slack, _shown


async def test_slack_is_asked_to_add_someone_only_once_their_join_is_kept(
    app: Application,
) -> None:
    seen: list[str] = []

    async def while_slack_adds_them(call: Call) -> None:
        if call.method != "conversations.invite":
            return
        # What anyone else reading the database sees at that moment: the join, committed.
        async with app.database.sessions() as session:
            robin = await UserRepository(session).get_by_key("slack", "U100")
            assert robin is not None
            held = await MembershipRepository(session).of_user(robin.id)
            seen.extend(network.name for network, _ in held)
        # And the database is not held while Slack answers: someone else's change commits.
        async with asyncio.timeout(2):
            async with app.database.transaction() as session:
                await UserRepository(session).touch_leading(
                    "slack", "U300", "", app.services.clock.now()
                )
        seen.append("kim's change committed")

    async with slack_harness(app) as slack:
        slack.api.before_answer = while_slack_adds_them
        await _join_pride_over_slack(app, slack)
        [invite] = slack.api.of("conversations.invite")
        answers = [_shown(call.body) for call in slack.api.of("response_url")]
    assert invite.body == {"channel": "C500", "users": "U100"}
    assert seen == ["Pride Network", "kim's change committed"]
    # One answer to the join, and it says what Slack did.
    [joined] = [answer for answer in answers if "joined Pride Network" in answer]
    assert "I've added you to its members' channel" in joined
    assert "https://slack.com/app_redirect?channel=C500" in joined


async def test_a_refused_invite_after_the_commit_keeps_the_join_and_tells_the_truth(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        slack.api.fail("conversations.invite", "not_in_channel")
        await _join_pride_over_slack(app, slack)
        answers = [_shown(call.body) for call in slack.api.of("response_url")]
        to_lead = [c for c in slack.api.of("chat.postMessage") if c.body["channel"] == "DULEAD"]
    [joined] = [answer for answer in answers if "joined Pride Network" in answer]
    assert "I couldn't add you to its members' channel myself" in joined
    assert "I've added you" not in joined
    # The leads still hear what to fix, told once the reply was finished.
    [lead_notice] = to_lead
    assert "Add the bot to the channel" in _shown(lead_notice.body)
    async with app.database.sessions() as session:
        robin = await UserRepository(session).get_by_key("slack", "U100")
        assert robin is not None
        held = await MembershipRepository(session).of_user(robin.id)
    assert [network.name for network, _ in held] == ["Pride Network"]
