"""Headings, facts and button titles name a mentioned person, never their platform id."""

from __future__ import annotations

import json

from bot.messages import Button, Call, Field, Mention, Reply, Section
from bot.platforms.teams.render import render

SAM = Mention("teams:29:sam-aad-id", "Sam Okafor")


def test_a_mention_in_a_heading_fact_or_button_shows_only_the_name() -> None:
    reply = Reply(
        text=f"{SAM} is now a lead of Pride.",
        heading=f"Lead added: {SAM}",
        sections=(Section(text="Leads", heading=f"{SAM}", fields=(Field("Lead", f"{SAM}"),)),),
        buttons=(Button(f"Message {SAM}", call=Call.of("help")),),
    )
    [message] = render(reply)
    assert message.card is not None
    shown = json.dumps(message.card["body"]) + json.dumps(message.card.get("actions", []))
    assert "sam-aad-id" not in shown
    assert "\\u001e" not in shown and "\\u001f" not in shown
    assert "Lead added: Sam Okafor" in shown
    assert "Message Sam Okafor" in shown
