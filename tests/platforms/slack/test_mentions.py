"""An @allybot mention in a channel: only the bot's own mention is dropped, the people the
command names are kept. The real AsyncApp (which learns the bot's id from auth.test) and the
fake Web API."""

from __future__ import annotations

from bot.app import Application
from storage.repositories import NetworkRepository, RegistrationRepository, UserRepository
from tests.fakes.slack_api import BOT_USER_ID, slack_harness
from tests.platforms.slack.test_app import _shown
from tests.support.sessions import add_session


async def test_a_lead_mentioning_the_bot_can_invite_someone_they_mention(
    app: Application,
) -> None:
    async with app.database.transaction() as session:
        pride = await NetworkRepository(session).by_slug("pride")
        assert pride is not None
        await NetworkRepository(session).add_lead(pride.id, "slack:ULEAD", app.services.clock.now())
    session_id = await add_session(app, invite_only=True)
    mention = {
        "type": "app_mention",
        "channel": "C200",
        "user": "ULEAD",
        "text": f"<@{BOT_USER_ID}> invite {session_id} <@U300>",
        "ts": "1700000000.000300",
    }
    async with slack_harness(app) as slack:
        await slack.event(mention, "Ev-mention-invite")
        [answer] = await slack.api.wait_for_calls("chat.postEphemeral")
        await slack.adapter.drain()
    assert "Invited 1" in _shown(answer.body)
    async with app.database.sessions() as session:
        sam = await UserRepository(session).get_by_key("slack", "U300")
        assert sam is not None
        invited = await RegistrationRepository(session).is_invited(session_id, sam.id)
    assert invited
