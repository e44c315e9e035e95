"""Slack payloads -> neutral Requests, and the keys that recognise a redelivery."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from bot.messages import Conversation, Person, Request

PLATFORM = "slack"
# A mention at the start of the text: whom an app_mention is addressed to.
_LEADING_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>")
# Slack's markup in typed text: `<@U…>`, `<#C…|name>`, `<!channel>`, `<https://…|label>`.
_MARKUP = re.compile(r"<([^<>]*)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}


def _decoded(plain: str) -> str:
    # One pass, so a typed `&lt;` (sent as `&amp;lt;`) stays `&lt;`.
    return _ENTITY.sub(lambda found: _ENTITIES[found.group(1)], plain)


def _readable(markup: str) -> str:
    """One piece of Slack markup as the person meant it.

    Mentions stay as they are (handlers read `<@U…>` to name someone); the rest becomes
    plain text, so `<!channel>` is kept as the words `@channel` and never pings again.
    """
    target, _, label = markup.partition("|")
    if target.startswith("@"):
        return f"<{markup}>"
    if target.startswith("#"):
        return "#" + _decoded(label or target[1:])
    if target.startswith("!"):
        special = target[1:].partition("^")[0]
        return _decoded(label) if label else "@" + special
    url, shown = _decoded(target), _decoded(label)
    return url if not shown or shown in url else f"{shown} ({url})"


def typed_text(text: str) -> str:
    """What someone typed, from the text Slack sends (typed `&`, `<`, `>` arrive encoded as
    entities, real markup as `<…>`). Decoded once here; renderers escape once on the way
    out. Modal values are not passed through this: Slack sends them as typed."""
    pieces: list[str] = []
    position = 0
    for found in _MARKUP.finditer(text):
        pieces.append(_decoded(text[position : found.start()]))
        pieces.append(_readable(found.group(1)))
        position = found.end()
    pieces.append(_decoded(text[position:]))
    return "".join(pieces)


def is_direct(channel_id: str) -> bool:
    """Direct-message conversations have ids starting with D."""
    return channel_id.startswith("D")


def delivery_key(raw_body: str, body: dict[str, Any]) -> str:
    """Events carry an event_id; commands and clicks do not, so their signed body is hashed.

    A retry or a Socket Mode redelivery repeats the same body, so it gets the same key.
    """
    event_id = body.get("event_id")
    if isinstance(event_id, str) and event_id:
        return f"slack:event:{event_id}"
    payload = raw_body or json.dumps(body, sort_keys=True, separators=(",", ":"))
    return "slack:body:" + hashlib.sha256(payload.encode()).hexdigest()


def from_command(body: dict[str, Any]) -> Request:
    channel_id = body.get("channel_id", "")
    return Request(
        # Not `user_name`: that is the legacy handle; the adapter fills in the display name.
        person=Person(PLATFORM, body["user_id"]),
        text=typed_text(body.get("text", "")),
        conversation=Conversation(channel_id, shared=not is_direct(channel_id)),
    )


@dataclass(frozen=True, slots=True)
class EventMessage:
    request: Request
    ts: str
    thread_ts: str | None


def from_message_event(event: dict[str, Any]) -> EventMessage | None:
    """A person's message in a direct message with the bot; None for edits, bots and the like."""
    if event.get("subtype") or event.get("bot_id") or not event.get("user"):
        return None
    channel_id = event.get("channel", "")
    return EventMessage(
        request=Request(
            person=Person(PLATFORM, event["user"]),
            text=typed_text(event.get("text", "")),
            conversation=Conversation(channel_id, shared=event.get("channel_type") != "im"),
        ),
        ts=event.get("ts", ""),
        thread_ts=event.get("thread_ts"),
    )


def without_bot(text: str, bot_user_id: str) -> str:
    """The text with the bot's own mentions taken out, and nobody else's: in
    `@allybot invite 12 @sam` the command names sam. Without the bot's id (Bolt did not
    say), only the mention the message starts with goes."""
    if not bot_user_id:
        return _LEADING_MENTION.sub(" ", text, count=1)
    own = re.compile(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>")
    return own.sub(" ", text)


def from_mention(event: dict[str, Any], bot_user_id: str = "") -> EventMessage | None:
    """An @mention of the bot (`bot_user_id`): that mention is dropped, what follows is the
    command or question, other people's mentions kept."""
    if event.get("bot_id") or not event.get("user"):
        return None
    channel_id = event.get("channel", "")
    text = typed_text(without_bot(event.get("text", ""), bot_user_id))
    return EventMessage(
        request=Request(
            person=Person(PLATFORM, event["user"]),
            text=text,
            conversation=Conversation(channel_id, shared=not is_direct(channel_id)),
        ),
        ts=event.get("ts", ""),
        thread_ts=event.get("thread_ts"),
    )


@dataclass(frozen=True, slots=True)
class Click:
    person: Person
    channel_id: str
    response_url: str
    trigger_id: str
    value: str

    def request(self, text: str) -> Request:
        return Request(
            person=self.person,
            text=text,
            conversation=Conversation(self.channel_id, shared=not is_direct(self.channel_id)),
        )


def from_action(body: dict[str, Any], action: dict[str, Any]) -> Click:
    """A button click. From the App Home there is no channel: replies go by direct message."""
    user = body.get("user", {})
    channel = (body.get("channel") or {}).get("id") or body.get("container", {}).get(
        "channel_id", ""
    )
    return Click(
        # No name: `username` and `name` are legacy handles; the adapter fills in the name.
        person=Person(PLATFORM, user.get("id", "")),
        channel_id=channel or "",
        response_url=body.get("response_url", ""),
        trigger_id=body.get("trigger_id", ""),
        value=action.get("value", ""),
    )
