"""A reply whose files could not be delivered stops saying they are attached."""

from __future__ import annotations

from bot.attachments import undelivered
from bot.messages import Attachment, Reply, Section

ICS = Attachment("s.ics", "text/calendar", "BEGIN:VCALENDAR", mention="Here's a calendar file.")
CSV = Attachment("m.csv", "text/csv", "a\n1\n", mention="The attached CSV has everyone in it.")


def test_the_announcing_words_go_and_the_reply_says_what_did_not_arrive() -> None:
    reply = Reply(text="You're registered.\nHere's a calendar file. See you!", attachments=(ICS,))
    told = undelivered(reply, [ICS], "Slack refused the upload")
    assert "Here's a calendar file" not in told.text
    assert told.text.startswith("You're registered.\nSee you!")
    assert "I couldn't send you s.ics: Slack refused the upload, so it hasn't arrived." in told.text
    assert told.attachments == ()


def test_a_reply_in_sections_says_it_where_it_is_read() -> None:
    reply = Reply(
        text="Pride: 6 members.",
        sections=(Section(text="• Robin"),),
        context="Private to you. The attached CSV has everyone in it.",
        attachments=(CSV, ICS),
    )
    told = undelivered(reply, [CSV], "file uploads are turned off")
    assert told.context is not None
    assert "attached CSV" not in told.context
    assert told.context.startswith("Private to you. I couldn't send you m.csv")
    assert told.attachments == (ICS,)


def test_nothing_missing_changes_nothing() -> None:
    reply = Reply(text="Here's a calendar file.", attachments=(ICS,))
    assert undelivered(reply, [], "whatever") is reply
