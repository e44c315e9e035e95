"""Teams activities -> neutral Requests, and the facts about where an activity came from."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity

from bot.forms import call_from_data
from bot.inbound import display_name
from bot.messages import Call, Conversation, Person, Request

PLATFORM = "teams"
PERSONAL = "personal"
CHANNEL = "channel"
GROUP_CHAT = "groupChat"


def unusable(activity: Activity) -> str:
    """Why an activity cannot be a turn (empty when it can): the Bot Framework protocol
    says every activity names its sender, its recipient and its conversation."""
    if not activity.type:
        return "no_type"
    for name, account in (
        ("from", activity.from_property),
        ("recipient", activity.recipient),
        ("conversation", activity.conversation),
    ):
        if account is None or not getattr(account, "id", None):
            return f"no_{name}"
    return ""


def delivery_key(activity: Activity) -> str:
    """What recognises a redelivery of this activity; empty for one without an id, which
    cannot be told from another and so is always acted on.

    Teams activity ids are unique only within one conversation, so the key takes both;
    hashed, so that it has a fixed length and the deliveries table holds no conversation
    id (a personal chat's id would name its person).
    """
    if not activity.id:
        return ""
    both = f"{activity.conversation.id}\n{activity.id}"
    return f"{PLATFORM}:activity:" + hashlib.sha256(both.encode()).hexdigest()


def person_of(activity: Activity) -> Person:
    sender = activity.from_property
    return Person(PLATFORM, sender.id or "", display_name(sender.name or ""))


def scope_of(activity: Activity) -> str:
    """personal, channel or groupChat (Teams always says; other channels count as personal)."""
    kind = getattr(activity.conversation, "conversation_type", None) or PERSONAL
    return kind if kind in (CHANNEL, GROUP_CHAT) else PERSONAL


def channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def tenant_of(activity: Activity) -> str:
    tenant = channel_data(activity).get("tenant") or {}
    return str(tenant.get("id") or getattr(activity.conversation, "tenant_id", None) or "")


def channel_id_of(activity: Activity) -> str:
    """The channel itself (not the thread): `19:...@thread.tacv2`, without `;messageid=`."""
    channel = channel_data(activity).get("channel") or {}
    if channel.get("id"):
        return str(channel["id"])
    return (activity.conversation.id or "").split(";", 1)[0]


def conversation_key(activity: Activity) -> str:
    """How a stored reference for this conversation is keyed: the person for personal chats,
    the channel for channels and the chat's id for group chats."""
    scope = scope_of(activity)
    if scope == PERSONAL:
        return person_of(activity).key
    if scope == CHANNEL:
        return channel_id_of(activity)
    return activity.conversation.id or ""


def _entity_fields(entity: Any) -> dict[str, Any]:
    """An entity's properties; botbuilder keeps the ones it does not model aside."""
    fields = dict(getattr(entity, "additional_properties", None) or {})
    fields["type"] = getattr(entity, "type", None)
    return fields


def text_without_mention(activity: Activity) -> str:
    """The typed text with the bot's @mention removed (found by the mention entities)."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        fields = _entity_fields(entity)
        mentioned = fields.get("mentioned") or {}
        if fields["type"] == "mention" and mentioned.get("id") == bot_id and fields.get("text"):
            text = text.replace(str(fields["text"]), " ")
    # Teams sends typed text with HTML entities (`&amp;`, and `&nbsp;` for a typed space
    # beside another); the router wants plain text. Its lines are kept: only the command
    # phrase is folded, by the router.
    return html.unescape(text).replace("\u00a0", " ").strip()


@dataclass(frozen=True, slots=True)
class Submitted:
    """What a card action carried: a call (a button), a form with its values, or a command
    (a button of a post planned before buttons carried calls)."""

    command: str = ""
    form: dict[str, Any] | None = None
    values: dict[str, Any] | None = None
    call: Call | None = None


def submitted(value: Any) -> Submitted | None:
    """Read Action.Submit's `value` or Action.Execute's `action.data`; None if it is not ours."""
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("form"), dict):
        values = {k: v for k, v in value.items() if k not in ("form", "msteams")}
        return Submitted(form=value["form"], values=values)
    call = call_from_data(value.get("call"))
    if call is not None:
        return Submitted(call=call)
    command = value.get("command")
    if isinstance(command, str) and command.strip():
        return Submitted(command=command.strip())
    return None


def conversation_of(activity: Activity) -> Conversation:
    return Conversation(id=activity.conversation.id or "", shared=scope_of(activity) != PERSONAL)


def request_for(activity: Activity, text: str, call: Call | None = None) -> Request:
    return Request(
        person=person_of(activity), text=text, conversation=conversation_of(activity), call=call
    )
