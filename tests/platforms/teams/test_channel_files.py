"""A reply a Teams channel may see, with files: the files are offered in the person's
personal chat first, so the channel never reads a promise of a file that was not offered.
The real CloudAdapter against the fake Bot Framework connector."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import Application
from bot.messages import Attachment, Reply, Visibility
from bot.router import Command, HandlerContext
from tests.fakes.teams_connector import CHANNEL, FakeConnector, mention_message
from tests.platforms.teams.test_adapter import Teams, running_teams

ROSTER = Attachment("rooms.csv", "text/csv", "room,topic\n1,Self-care\n", mention="Here's the CSV.")


async def _rooms(context: HandlerContext) -> Reply:
    # What a channel may see (the rooms, no people), with a file for the person asking.
    return Reply(
        text="Three rooms are open. Here's the CSV.",
        visibility=Visibility.CONVERSATION,
        attachments=(ROSTER,),
    )


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    app.router.add(Command(phrase="open rooms", handler=_rooms, summary="rooms, as a file"))
    async with running_teams(app, connector) as teams:
        yield teams


async def test_the_file_is_offered_privately_before_the_channel_reply_mentions_it(
    teams: Teams,
) -> None:
    await teams.post(mention_message(teams.connector.url, "open rooms"))
    [card] = teams.connector.consent_cards()
    assert card["name"] == "rooms.csv"
    assert teams.connector.consent_cards(CHANNEL) == []
    in_channel = teams.sent(CHANNEL)
    assert [call.shown_text for call in in_channel] == [
        "Three rooms are open. Here's the CSV.",
        "I've sent you the file in our private chat: accept it there to save it.",
    ]
    sent = teams.sent()
    offered = next(i for i, call in enumerate(sent) if call.conversation_id != CHANNEL)
    assert offered < sent.index(in_channel[0])


async def test_when_no_private_chat_opens_the_channel_reply_promises_no_file(
    teams: Teams,
) -> None:
    teams.connector.refuse_new_chats = True
    await teams.post(mention_message(teams.connector.url, "open rooms"))
    assert teams.connector.consent_cards() == []
    [told] = [call.shown_text for call in teams.sent(CHANNEL)]
    assert "Three rooms are open." in told
    assert "Here's the CSV" not in told
    assert "I couldn't send you rooms.csv" in told and "can't message you privately" in told
