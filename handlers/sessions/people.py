"""The people leads name in their commands, and what leads do with them: invitations and
attendance. Each person invited is told privately; nobody else sees who was.
"""

from __future__ import annotations

import re

from bot.config import PLATFORMS
from bot.errors import UserError
from bot.inbound import known_person_key
from bot.messages import Reply
from bot.numbers import parse_id
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.sessions.buttons import session_buttons
from handlers.sessions.common import led_session, load_session, people
from storage.models import Network
from storage.repositories import (
    RegistrationRepository,
    UserRepository,
)
from storage.statuses import SessionStatus

_MENTION = re.compile(r"^<@([A-Za-z0-9]+)(?:\|[^>]*)?>$")


def person_key(context: HandlerContext, typed: str) -> str:
    """`console:alex`, `slack:U0123` or a Slack mention `<@U0123>` -> a person key."""
    mention = _MENTION.match(typed)
    if mention is not None:
        return known_person_key(f"{context.request.person.platform}:{mention.group(1)}")
    platform, _, external_id = typed.partition(":")
    if platform not in PLATFORMS or not external_id:
        raise UserError(
            f"“{typed[:40]}” isn't a person I can find. Name people as platform:id, like "
            "`slack:U0123ABCD` or `console:alex`."
        )
    return known_person_key(typed)


async def invite(context: HandlerContext) -> Reply:
    item, rest = await led_session(context, context.args, "invite")
    if item.status != SessionStatus.SCHEDULED or item.starts_at <= context.now:
        raise UserError(f"Session {item.id} isn't coming up any more, so I can't invite to it.")
    registrations = RegistrationRepository(context.session)
    attendees_of = re.fullmatch(r"(?:everyone who )?(?:attendees of|attended)\s+(#?[0-9]+)", rest)
    if attendees_of is not None:
        earlier = await load_session(context, parse_id(attendees_of.group(1), what="session"))
        if not context.roles.leads(earlier.network_id):
            raise UserError(f"Only that network's leads can see who attended session {earlier.id}.")
        invitees = list(await registrations.attendees(earlier.id))
    elif rest:
        users = UserRepository(context.session)
        invitees = [
            await users.for_key(person_key(context, word), context.now) for word in rest.split()
        ]
    else:
        raise UserError(
            f"Whom should I invite? For example `invite {item.id} slack:U0123 slack:U0456`, "
            f"or `invite {item.id} attendees of 7` for everyone who attended session 7."
        )
    zone = context.services.settings.timezone
    network = await context.session.get(Network, item.network_id)
    invited = 0
    for user in invitees:
        if not await registrations.invite(item.id, user.id, context.now):
            continue
        invited += 1
        context.notify(
            user.key,
            Reply(
                text=f"You're invited to {item.title} ({network.name if network else ''}), "
                f"{when(item.starts_at, zone)}. Press Register or type `register {item.id}` to "
                "take your place.",
                buttons=session_buttons(item, None),
            ),
        )
    already = len(invitees) - invited
    also = f" {already} had already been invited." if already else ""
    return Reply(
        text=f"Invited {people(invited)} to session {item.id}; each was told privately.{also}"
    )


async def attended(context: HandlerContext) -> Reply:
    item, rest = await led_session(context, context.args, "attended")
    if context.now < item.starts_at:
        raise UserError(f"Session {item.id} hasn't started yet; mark attendance afterwards.")
    registrations = RegistrationRepository(context.session)
    holders = await registrations.people(item.id)
    if rest.strip().lower() in ("all", "everyone"):
        chosen = list(holders)
    else:
        wanted = {person_key(context, word) for word in rest.split()}
        if not wanted:
            raise UserError(
                f"Who attended? For example `attended {item.id} slack:U0123 slack:U0456`, or "
                f"`attended {item.id} all`. `registrations {item.id}` lists who had a place."
            )
        chosen = [(user, registration) for user, registration in holders if user.key in wanted]
        missing = len(wanted) - len(chosen)
        if missing:
            raise UserError(
                f"{missing} of those people didn't have a place at session {item.id}. "
                f"`registrations {item.id}` lists who did."
            )
    for _, registration in chosen:
        registration.attended = True
    await context.session.flush()
    text = f"Marked {people(len(chosen))} as attending session {item.id}."
    if item.kind == "training":
        trained = await registrations.trained_count(item.network_id)
        shown = context.services.settings.small_numbers
        text += f" People trained so far in this network: {shown.count(trained)}."
    return Reply(text=text)
