"""Changing a session that is planned: `edit session`, `postpone session`, `cancel session`.

Everyone with a place is told privately, with a calendar file that replaces the old one;
a cancelled session's reminders and breakout posts are taken out of the outbox.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from bot.errors import UserError
from bot.messages import Attachment, Reply
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.sessions.arguments import CancelSession, EditSession, PostponeSession
from handlers.sessions.buttons import session_buttons
from handlers.sessions.calendar_files import calendar_cancellation, calendar_invite
from handlers.sessions.common import led_session_numbered, people
from handlers.sessions.dates import parse_future
from handlers.sessions.events import SessionCancelled
from handlers.sessions.forms import edit_button
from handlers.sessions.needs import keep_needs
from handlers.sessions.parts import Changes, check_parts
from handlers.sessions.places import fill_freed_places
from handlers.sessions.reminders import session_prefix
from storage.models import NetworkSession
from storage.repositories import (
    AuditRepository,
    OutboxRepository,
    RegistrationRepository,
    SessionRepository,
)
from storage.statuses import RegistrationStatus, SessionStatus

# Before any post was ever due: unplanning from here takes every post, past ones included.
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


# Taken out of the notice by a platform that could not deliver the file.
_UPDATED_FILE = "Here's an updated calendar file."

async def edit_session(context: HandlerContext) -> Reply:
    given = context.given(EditSession)
    item = await led_session_numbered(context, given.session)
    item = await SessionRepository(context.session).lock_session(item.id) or item
    before, parts = given.before, given.parts()
    if not before and not parts.given:
        return Reply(
            text=(
                f"Say what to change with `key: value` parts, like `edit session {item.id} "
                "capacity: 30 | where: Room 4`, or press the button to change it in a form."
            ),
            buttons=(edit_button(item, context.services.settings.timezone),),
        )
    if before or not parts.given:
        raise UserError(
            f"Say what to change with `key: value` parts, like `edit session {item.id} "
            "capacity: 30 | where: Room 4`."
        )
    return await _apply(context, item, check_parts(context, parts, item))


async def postpone_session(context: HandlerContext) -> Reply:
    given = context.given(PostponeSession)
    item = await led_session_numbered(context, given.session)
    rest = re.sub(r"^(?:to|until)\s+", "", given.to.strip(), flags=re.IGNORECASE)
    if not rest:
        raise UserError(f"To when? For example `postpone session {item.id} to 20 Jan 2027 15:00`.")
    locked = await SessionRepository(context.session).lock_session(item.id) or item
    zone = context.services.settings.timezone
    return await _apply(context, locked, Changes(starts_at=parse_future(rest, context.now, zone)))


async def _apply(context: HandlerContext, item: NetworkSession, changes: Changes) -> Reply:
    if item.status != SessionStatus.SCHEDULED:
        raise UserError(f"Session {item.id} was cancelled, so it can't be changed.")
    registrations = RegistrationRepository(context.session)
    zone = context.services.settings.timezone
    said: list[str] = []
    moved = False
    if changes.capacity_given and changes.capacity != item.capacity:
        taken = await registrations.count(item.id, RegistrationStatus.REGISTERED)
        if changes.capacity is not None and changes.capacity < taken:
            raise UserError(
                f"{taken} people already have places, so the capacity can't go below {taken}.",
                field="capacity",
            )
        item.capacity = changes.capacity
        said.append(f"places: {'no limit' if item.capacity is None else item.capacity}")
    for name, label in (("title", "title"), ("location", "where"), ("kind", "kind")):
        value = getattr(changes, name)
        if value is not None and value != getattr(item, name):
            setattr(item, name, value)
            said.append(f"{label}: {value or 'to be confirmed'}")
            moved = moved or name != "kind"
    if changes.starts_at is not None and changes.starts_at != item.starts_at:
        item.starts_at = changes.starts_at
        said.append(f"when: {when(item.starts_at, zone)}")
        moved = True
    if changes.duration_minutes is not None and changes.duration_minutes != item.duration_minutes:
        item.duration_minutes = changes.duration_minutes
        said.append(f"length: {item.duration_minutes} minutes")
        moved = True
    if changes.description is not None and changes.description != item.description:
        item.description = changes.description
        said.append("description")
    if changes.invite_only is not None:
        item.invite_only = changes.invite_only
        said.append("open to: " + ("invited people only" if item.invite_only else "everyone"))
    if changes.facilitators is not None:
        item.facilitators = changes.facilitators
        said.append("facilitators")
    if changes.deadline is not None:
        item.registration_deadline = changes.deadline
        said.append(f"register by: {when(changes.deadline, zone)}")
    if item.registration_deadline is not None and item.registration_deadline > item.starts_at:
        raise UserError(
            "The registration deadline would then be after the start; change it too, like "
            f"`edit session {item.id} deadline: …`.",
            field="deadline",
        )
    if not said:
        return Reply(text=f"Nothing changed: session {item.id} already looks like that.")
    told = 0
    if moved:
        told = await _tell_about_change(context, item)
    promoted = await fill_freed_places(context, item)
    await AuditRepository(context.session).record(
        context.now,
        context.request.person.key,
        "session_edited",
        item.network_id,
        f"session:{item.id}",
    )
    extra = f" I've sent {people(told)} an updated calendar file." if told else ""
    if promoted:
        extra += f" {people(promoted)} moved from the waitlist into places and were told."
    return Reply(text=f"Session {item.id} updated ({'; '.join(said)}).{extra}")


async def _tell_about_change(context: HandlerContext, item: NetworkSession) -> int:
    """Send everyone with a place the new details and a calendar file that replaces the old."""
    zone = context.services.settings.timezone
    registrations = RegistrationRepository(context.session)
    affected = await registrations.people(
        item.id, (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
    )
    for user, registration in affected:
        if registration.access_needs:
            # The needs are kept until a week after the session's new end, not the old one.
            keep_needs(context, registration, item, registration.access_needs)
        if registration.status == RegistrationStatus.REGISTERED:
            context.notify(
                user.key,
                Reply(
                    text=f"{item.title} has changed: it's now {when(item.starts_at, zone)}, "
                    f"{item.duration_minutes} minutes, {item.location or 'place to be confirmed'}."
                    f" {_UPDATED_FILE}",
                    buttons=session_buttons(item, RegistrationStatus.REGISTERED),
                    attachments=(
                        replace(
                            calendar_invite(context, item, registration), mention=_UPDATED_FILE
                        ),
                    ),
                ),
            )
        else:
            context.notify(
                user.key,
                Reply(
                    text=f"{item.title}, which you're waiting for a place at, has changed: it's "
                    f"now {when(item.starts_at, zone)}. You keep your place in the queue."
                ),
            )
    return len(affected)


async def cancel_session(context: HandlerContext) -> Reply:
    given = context.given(CancelSession)
    item, reason = await led_session_numbered(context, given.session), given.reason
    registrations = RegistrationRepository(context.session)
    item = await SessionRepository(context.session).lock_session(item.id) or item
    if item.status != SessionStatus.SCHEDULED:
        raise UserError(f"Session {item.id} is already cancelled.")
    item.status = SessionStatus.CANCELLED
    # Reminders for a cancelled session must not go out, nor what other features planned.
    await OutboxRepository(context.session).unplan(
        session_prefix(item.id), set(), due_from=LONG_AGO
    )
    await context.router.registry.publish(context, SessionCancelled(item))
    because = f" The organisers said: {reason}" if reason else ""
    affected = await registrations.people(
        item.id, (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
    )
    zone = context.services.settings.timezone
    for user, registration in affected:
        attachments: tuple[Attachment, ...] = ()
        if registration.status == RegistrationStatus.REGISTERED:
            attachments = (calendar_cancellation(context, item, registration),)
        context.notify(
            user.key,
            Reply(
                text=f"Sorry: {item.title} on {when(item.starts_at, zone)} has been cancelled."
                f"{because} `sessions` shows what else is coming up.",
                attachments=attachments,
            ),
        )
    await AuditRepository(context.session).record(
        context.now,
        context.request.person.key,
        "session_cancelled",
        item.network_id,
        f"session:{item.id}",
    )
    return Reply(
        text=f"Cancelled session {item.id} ({item.title}). I've told the "
        f"{people(len(affected))} who had a place or were waiting, privately."
    )
