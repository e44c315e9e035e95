"""Which commands may change what the person's own App Home shows."""

from __future__ import annotations

# Commands after which what the person's own App Home shows may have changed. What
# changes for others (a waitlist place turned into a seat, a session moved, a lead role)
# reaches the Slack adapter through the router's change watchers; the lists everyone
# sees (sessions coming up, awareness dates) are rebuilt each time the tab is opened.
HOME_CHANGING = frozenset(
    {
        "join",
        "leave",
        "agree",
        "withdraw consent",
        "forget me",
        "register",
        "cancel",
        "host",
        "propose",
        "host topic",
        "notes",
        "rename topic",
        "withdraw topic",
        "pick",
        "create session",
        "edit session",
        "postpone session",
        "cancel session",
        "add lead",
        "remove lead",
        "calendar off",
        "calendar on",
        "calendar time",
        "calendar days",
        # What a lead's tasks count or offer: questions waiting, sessions to choose from.
        "answer",
        "invite",
        "attended",
        "recording",
        "announce",
        "cancel announcement",
    }
)
