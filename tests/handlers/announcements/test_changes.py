"""Leads preview, edit and cancel their own announcements."""

from __future__ import annotations

from bot.app import Application
from bot.messages import Visibility
from bot.outbox_codec import decode_reply
from tests.conftest import say, say_one
from tests.handlers.announcements.support import LONDON, outbox, with_channels


async def test_preview_shows_exactly_what_will_be_posted_privately(app: Application) -> None:
    await with_channels(app)
    await say(app, "announce pride on 1 Dec 2026 09:00: Bring a friend & a snack", user="alex")
    note, post = await say(app, "preview announcement 1", user="alex")
    assert "on 1 December 2026 at 09:00" in note.text
    assert post.text == "Bring a friend & a snack"
    assert post.context == "Announcement from the Pride Network leads"
    assert post.visibility is Visibility.PRIVATE
    [row] = await outbox(app)
    stored = decode_reply(row.message)
    assert (stored.text, stored.context) == (post.text, post.context)


async def test_editing_changes_what_is_not_yet_sent_and_cancelling_withdraws_it(
    app: Application,
) -> None:
    await with_channels(app)
    await say(app, "announce pride every monday 09:00: Old words", user="alex")
    edited = await say_one(app, "edit announcement 1: New words", user="alex")
    assert "Updated announcement 1" in edited.text
    assert {decode_reply(row.message).text for row in await outbox(app)} == {"New words"}

    await say(app, "edit announcement 1 every friday 16:00: Friday words", user="alex")
    fridays = await outbox(app)
    assert fridays and all(row.due_at.astimezone(LONDON).weekday() == 4 for row in fridays)

    listed = await say_one(app, "announcements pride", user="alex")
    assert "every Friday at 16:00: Friday words" in listed.text

    cancelled = await say_one(app, "cancel announcement 1", user="alex")
    assert "Cancelled announcement 1" in cancelled.text
    assert await outbox(app) == []
    again = await say_one(app, "cancel announcement 1", user="alex")
    assert "was cancelled" in again.text
