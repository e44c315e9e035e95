"""What every part of the sessions feature, and the features built on sessions, use to name
a session: the number a command starts with, the session it finds, who organises it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.errors import UserError
from bot.router import HandlerContext
from storage.models import Network, NetworkSession
from storage.repositories import SessionRepository
from storage.statuses import SessionKind

KIND_NAMES: dict[str, str] = {
    SessionKind.WEBINAR: "Webinar",
    SessionKind.TRAINING: "Training",
    SessionKind.SOCIAL: "Social",
    SessionKind.TRAIN_THE_TRAINER: "Train-the-trainer",
    SessionKind.OTHER: "Session",
}


_SESSION_ID = re.compile(r"^#?([0-9]{1,9})(?:\s+(.*))?$", re.DOTALL)


def split_session_id(args: str, command: str) -> tuple[int, str]:
    """`12 needs: captions` -> (12, "needs: captions"), or a UserError showing the usage."""
    found = _SESSION_ID.match(args.strip())
    if found is None:
        raise UserError(
            f"Which session? Give its number, like `{command} 12`. `sessions` lists them "
            "with their numbers."
        )
    return int(found.group(1)), (found.group(2) or "").strip()


def ends_at(item: NetworkSession) -> datetime:
    return item.starts_at + timedelta(minutes=item.duration_minutes)


def facilitator_keys(item: NetworkSession) -> list[str]:
    return [key.strip() for key in item.facilitators.split(",") if key.strip()]


def is_organiser(context: HandlerContext, item: NetworkSession) -> bool:
    """The network's leads (and admins) and the session's facilitators."""
    return context.roles.leads(item.network_id) or (
        context.request.person.key in facilitator_keys(item)
    )


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind.replace("-", " ").capitalize())


async def load_session(context: HandlerContext, session_id: int) -> NetworkSession:
    found = await SessionRepository(context.session).get_session(session_id)
    if found is None:
        raise UserError(f"I can't find session {session_id}. `sessions` lists what's coming up.")
    return found


async def led_session(
    context: HandlerContext, args: str, command: str
) -> tuple[NetworkSession, str]:
    session_id, rest = split_session_id(args, command)
    return await led_session_numbered(context, session_id), rest


async def led_session_numbered(context: HandlerContext, session_id: int) -> NetworkSession:
    """Session `session_id`, refused unless the person leads its network."""
    item = await load_session(context, session_id)
    if not context.roles.leads(item.network_id):
        network = await context.session.get(Network, item.network_id)
        name = network.name if network else "its network"
        raise UserError(f"Only {name}'s leads can do that to session {item.id}.")
    return item


def people(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"
