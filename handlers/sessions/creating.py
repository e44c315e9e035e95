"""`create session`: a session described in `key: value` parts, echoed back and saved only
when confirmed, by the button or by adding `| confirm: yes`.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta

from bot.errors import UserError
from bot.messages import (
    Button,
    ButtonStyle,
    Field,
    Reply,
    Section,
)
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.networks import find_network
from handlers.sessions.common import kind_name
from handlers.sessions.forms import create_form
from handlers.sessions.parts import Changes, Parts, check_parts, parse_parts, yes_no
from storage.models import Network, NetworkSession
from storage.repositories import (
    AuditRepository,
    NetworkRepository,
)
from storage.statuses import SessionStatus

DEFAULT_MINUTES = 60
# Slack refuses a button value over 2,000 characters; a longer draft is confirmed by typing.
MAX_BUTTON_COMMAND = 1900


SHORT_USAGE = "create session <network> | title: … | when: … | duration: … | …"
USAGE = (
    "create session <network> | title: … | when: 13 Dec 2026 15:45 | duration: 75m | "
    "where: … | capacity: 20 | kind: webinar | invite only: no"
)


def _preview_fields(
    context: HandlerContext, network: Network, changes: Changes, minutes: int
) -> list[Field]:
    zone = context.services.settings.timezone
    assert changes.starts_at is not None
    found = [
        Field("Network", network.name),
        Field("When", f"{when(changes.starts_at, zone)}, {minutes} minutes"),
        Field("Ends", when(changes.starts_at + timedelta(minutes=minutes), zone)),
        Field("Where", changes.location or "to be confirmed"),
        Field("Kind", kind_name(changes.kind or "other")),
        Field("Places", "no limit" if changes.capacity is None else str(changes.capacity)),
        Field("Open to", "invited people only" if changes.invite_only else "everyone"),
    ]
    if changes.deadline is not None:
        found.append(Field("Register by", when(changes.deadline, zone)))
    return found


def _canonical(network: Network, parts: Parts) -> str:
    pieces = [f"create session {network.slug}"]
    for name in (item.name for item in fields(Parts)):
        value = getattr(parts, name)
        if name in ("given", "confirm") or value is None:
            continue
        label = "invite only" if name == "invite_only" else name
        pieces.append(f"{label}: {value}")
    pieces.append("confirm: yes")
    return " | ".join(pieces)


async def create_session(context: HandlerContext) -> Reply:
    typed_network, parts = parse_parts(context.args)
    if not typed_network and not parts.given:
        led = [
            network
            for network in await NetworkRepository(context.session).active()
            if context.roles.leads(network.id)
        ]
        return Reply(
            text=f"Describe the session in one line, for example:\n`{USAGE}`\n"
            "or press the button to fill in a form.",
            buttons=(Button("Create session", "create session", form=create_form(led)),),
        )
    network = await find_network(context, typed_network)
    if not context.roles.leads(network.id):
        raise UserError(f"Only {network.name}'s leads can create its sessions.")
    if parts.title is None or parts.when is None:
        raise UserError(
            f"Please give at least a title and when it starts, like:\n`{USAGE}`",
            field="title" if parts.title is None else "when",
        )
    changes = check_parts(context, parts)
    assert changes.starts_at is not None
    minutes = changes.duration_minutes or DEFAULT_MINUTES
    if parts.confirm is None or not yes_no(parts.confirm, "confirm"):
        shown = _preview_fields(context, network, changes, minutes)
        command = _canonical(network, parts)
        confirm_hint = (
            "Press Create to save it"
            if len(command) <= MAX_BUTTON_COMMAND
            else "Send the same command again"
        )
        return Reply(
            text="Please check this before I save it:\n"
            + "\n".join(f"{item.label}: {item.value}" for item in shown)
            + f"\n{confirm_hint}, or add `| confirm: yes` to your command.",
            heading=f"New session: {changes.title}",
            sections=(Section(text=changes.description or "", fields=tuple(shown)),),
            buttons=(Button("Create", command, ButtonStyle.PRIMARY),)
            if len(command) <= MAX_BUTTON_COMMAND
            else (),
        )
    item = NetworkSession(
        network_id=network.id,
        title=changes.title or "",
        kind=changes.kind or "other",
        starts_at=changes.starts_at,
        duration_minutes=minutes,
        location=changes.location or "",
        description=changes.description or "",
        capacity=changes.capacity,
        status=SessionStatus.SCHEDULED,
        facilitators=changes.facilitators or "",
        registration_deadline=changes.deadline,
        invite_only=bool(changes.invite_only),
        recording_url="",
        created_at=context.now,
    )
    context.session.add(item)
    await context.session.flush()
    await AuditRepository(context.session).record(
        context.now, context.request.person.key, "session_created", network.id, f"session:{item.id}"
    )
    zone = context.services.settings.timezone
    invite = f" Invite people with `invite {item.id} <person…>`." if item.invite_only else ""
    return Reply(
        text=f"Created session {item.id}: {item.title}, {when(item.starts_at, zone)}. "
        f"People can register with `register {item.id}`.{invite}",
        buttons=(Button("See it", f"session {item.id}"),),
    )
