"""Places at sessions given up and given out again: the one routine every such path uses.

A place is freed when someone cancels, leaves a network, withdraws their consent or asks
to be forgotten, and when a lead raises a session's capacity. Each path goes through
`give_up_place` (one registration ends) and `fill_freed_places` (the first people waiting,
in order of arrival, take what is free and are told privately), so that nobody who comes
later can take a freed place ahead of the waitlist, and someone who gives up a place gives
up what came with it: their access needs and their breakout picks, host offers and notes.

Every function here needs the session row locked (`SessionRepository.lock_session`),
so that the places counted are the places taken.
"""

from __future__ import annotations

from dataclasses import replace

from bot.messages import Reply
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.sessions.buttons import session_buttons
from handlers.sessions.calendar_files import calendar_invite
from handlers.sessions.events import PlaceGivenUp
from storage.erasure import held_session_ids
from storage.models import NetworkSession, SessionRegistration, User
from storage.repositories import RegistrationRepository, SessionRepository
from storage.statuses import RegistrationStatus, SessionStatus

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


async def give_up_place(
    context: HandlerContext, item: NetworkSession, registration: SessionRegistration
) -> int:
    """End one registration and give what it frees to the first in line.

    Returns how many people moved from the waitlist into places.
    """
    registration.status = RegistrationStatus.CANCELLED
    # Their needs are no use to anyone once they are not coming.
    registration.access_needs = None
    registration.needs_delete_after = None
    # What came with the place (a breakout room, say) goes with it, in this transaction.
    await context.router.registry.publish(context, PlaceGivenUp(item, registration.user_id))
    return await fill_freed_places(context, item)


async def fill_freed_places(context: HandlerContext, item: NetworkSession) -> int:
    """Give free places to the first people waiting, telling each privately.

    Places at a session that was cancelled or has started are not given out. Everyone
    still waiting is told their view changed: they are now nearer the front.
    """
    registrations = RegistrationRepository(context.session)
    await context.session.flush()
    promoted = 0
    while (
        item.status == SessionStatus.SCHEDULED
        and item.starts_at > context.now
        and (
            item.capacity is None
            or await registrations.count(item.id, RegistrationStatus.REGISTERED) < item.capacity
        )
    ):
        first = await registrations.first_waitlisted(item.id)
        if first is None:
            break
        first.status = RegistrationStatus.REGISTERED
        await context.session.flush()
        person = await context.session.get(User, first.user_id)
        if person is not None:
            context.notify(person.key, _place_came_up(context, item, first))
        promoted += 1
    context.changed_for(*await registrations.waitlisted_keys(item.id))
    return promoted


def _place_came_up(
    context: HandlerContext, item: NetworkSession, registration: SessionRegistration
) -> Reply:
    zone = context.services.settings.timezone
    return Reply(
        text=(
            f"Good news: a place came up at {item.title} ({when(item.starts_at, zone)}) and "
            f"it's yours. {_HERE_IS_A_FILE} If you can't make it, `cancel {item.id}` "
            "frees it for someone else."
        ),
        buttons=session_buttons(item, RegistrationStatus.REGISTERED),
        attachments=(
            replace(calendar_invite(context, item, registration), mention=_HERE_IS_A_FILE),
        ),
    )


# Taken out of the message by a platform that could not deliver the file.
_HERE_IS_A_FILE = "Here's a calendar file."


async def give_up_places(
    context: HandlerContext, user_id: int, network_id: int | None = None
) -> list[NetworkSession]:
    """Every place and waitlist spot the person holds at sessions to come (of one network,
    when given), given up one session at a time; returns those sessions.

    Sessions are locked in id order, as everywhere, so two of these never wait on each other.
    """
    registrations = RegistrationRepository(context.session)
    given_up: list[NetworkSession] = []
    held = await held_session_ids(context.session, user_id, context.now, network_id)
    for session_id in held:
        item = await SessionRepository(context.session).lock_session(session_id)
        registration = None if item is None else await registrations.of(item.id, user_id)
        if item is None or registration is None or registration.status not in ACTIVE:
            continue
        await give_up_place(context, item, registration)
        given_up.append(item)
    return given_up
