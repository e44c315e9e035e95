"""Outbox keys: one format, one parser, today's stored strings, each kind described by its
feature."""

from __future__ import annotations

import pytest

from bot.app import Application
from bot.outbox_keys import MalformedOutboxKey, OutboxKey, prefix
from bot.outbox_plans import PostDescriptions
from handlers.announcements.planner import announcement_key, announcement_prefix
from handlers.awareness.posts import calendar_key
from handlers.breakouts.post_keys import (
    BreakoutPostKey,
    host_key,
    open_signup_posts,
    rooms_key,
    signup_key,
    update_key,
)
from handlers.breakouts.post_keys import prefix as breakout_prefix
from handlers.sessions.reminders import reminder_key, session_prefix

# Each feature's key, and the string rows have always stored for it (no migration).
STORED = [
    (announcement_key(4, "slack"), "announcement:4:slack"),
    (calendar_key("tdor", "pride", 7, "teams"), "calendar:tdor:pride:7d-before:teams"),
    (calendar_key("tdor", "pride", 0, "slack"), "calendar:tdor:pride:on-the-day:slack"),
    (reminder_key(12, "reminder-24h", "slack:U1"), "session:12:reminder-24h:slack:U1"),
    (reminder_key(12, "feedback", "teams:29:zed-q"), "session:12:feedback:teams:29:zed-q"),
    (signup_key(3, "slack"), "breakout:3:signup:slack"),
    (update_key(3, "teams"), "breakout:3:update:teams"),
    (rooms_key(3, "console"), "breakout:3:rooms:console"),
    (host_key(3, 17, 8), "breakout:3:host:17:8"),
]


@pytest.mark.parametrize(("built", "stored"), STORED)
def test_every_kind_keeps_its_stored_format_and_round_trips(built: str, stored: str) -> None:
    assert built == stored
    key = OutboxKey.parse(stored)
    assert key.format() == stored
    assert OutboxKey.parse(key.format()) == key


def test_a_key_is_a_kind_and_its_parts() -> None:
    key = OutboxKey.parse("session:12:reminder-1h:teams:29:zed-q")
    assert key == OutboxKey("session", ("12", "reminder-1h", "teams", "29", "zed-q"))
    assert OutboxKey.of("announcement", 4, "slack") == OutboxKey("announcement", ("4", "slack"))
    assert OutboxKey.parse("announcement") == OutboxKey("announcement")


@pytest.mark.parametrize("text", ["", ":4:slack", "Announcement:4", "two words:1", "4:slack"])
def test_a_malformed_key_raises_a_clear_error(text: str) -> None:
    with pytest.raises(MalformedOutboxKey, match="not an outbox key"):
        OutboxKey.parse(text)


def test_a_part_holding_the_separator_is_refused_so_parsing_stays_exact() -> None:
    with pytest.raises(MalformedOutboxKey, match="cannot contain ':'"):
        OutboxKey("session", ("12", "slack:U1"))
    with pytest.raises(MalformedOutboxKey, match="kind must be a word"):
        OutboxKey("", ("1",))


def test_prefixes_match_one_thing_and_its_keys_only() -> None:
    assert prefix("calendar") == "calendar:"
    assert session_prefix(1) == prefix("session", 1) == "session:1:"
    assert announcement_prefix(4) == "announcement:4:"
    assert breakout_prefix(3) == "breakout:3:"
    assert reminder_key(1, "feedback", "slack:U1").startswith(session_prefix(1))
    assert not reminder_key(12, "feedback", "slack:U1").startswith(session_prefix(1))
    assert host_key(3, 17, 8).startswith(breakout_prefix(3))


def test_a_breakout_key_says_which_post_and_a_hosts_list_which_topic() -> None:
    assert BreakoutPostKey.parse(signup_key(3, "slack")) == BreakoutPostKey(3, "signup")
    assert BreakoutPostKey.parse(host_key(3, 17, 8)) == BreakoutPostKey(3, "host", 17)
    with pytest.raises(MalformedOutboxKey):
        BreakoutPostKey.parse("announcement:4:slack")
    with pytest.raises(MalformedOutboxKey):
        BreakoutPostKey.parse("breakout:3:host")


async def test_each_feature_describes_its_own_posts_and_never_who_for(app: Application) -> None:
    describe = app.router.registry.descriptions.describe
    assert describe("announcement:4:slack") == "announcement 4"
    assert describe("calendar:tdor:pride:7d-before:teams") == "awareness post for tdor (7d before)"
    assert describe("session:12:reminder-24h:slack:U1") == "session 12 reminder 24h"
    assert describe("session:12:feedback:teams:29:zed-q") == "session 12 feedback"
    assert describe("breakout:3:signup:slack") == "breakout topics for session 3"
    assert describe("breakout:3:update:slack") == "breakout topics for session 3, updated"
    assert describe("breakout:3:rooms:slack") == "breakout rooms for session 3"
    assert describe("breakout:3:host:17:8") == "breakout room list for a host of session 3"
    # What no feature describes reads by its kind; what is no key at all, generically.
    assert describe("session:12") == "session"
    assert describe("m:later") == "m"
    assert describe("") == "scheduled post"
    assert open_signup_posts in app.router.registry.kept_posts


def test_a_kind_is_described_once() -> None:
    descriptions = PostDescriptions()
    descriptions.add("announcement", lambda key: "one")
    with pytest.raises(ValueError, match="already described"):
        descriptions.add("announcement", lambda key: "two")
    assert PostDescriptions().describe("announcement:4") == "announcement"
