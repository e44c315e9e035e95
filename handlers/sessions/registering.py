"""Taking a place at a session and giving it up: `register` (with a waitlist) and `cancel`.

Who registered and anyone's access needs are sensitive, so every reply here is private
(the default) and notices go to one person each. Places are counted with the session
row locked, so simultaneous registrations never overfill a session; when a place frees
up, exactly the first person on the waitlist gets it and is told privately.
"""

from __future__ import annotations

from dataclasses import replace

from bot.errors import UserError
from bot.messages import Reply
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.sessions.arguments import CancelPlace, Register
from handlers.sessions.buttons import session_buttons
from handlers.sessions.calendar_files import calendar_cancellation, calendar_invite
from handlers.sessions.common import is_organiser
from handlers.sessions.dates import how_long
from handlers.sessions.needs import keep_needs, needs_note
from handlers.sessions.places import give_up_place
from storage.models import Network, NetworkSession, SessionRegistration
from storage.repositories import RegistrationRepository, SessionRepository
from storage.statuses import RegistrationStatus, SessionStatus


async def register_place(context: HandlerContext) -> Reply:
    wanted = context.given(Register).checked()
    registrations = RegistrationRepository(context.session)
    # Everything below happens with the session row locked: counting places and taking one.
    item = await SessionRepository(context.session).lock_session(wanted.session)
    if item is None:
        raise UserError(
            f"I can't find session {wanted.session}. `sessions` lists what's coming up."
        )
    zone = context.services.settings.timezone
    if item.status != SessionStatus.SCHEDULED:
        raise UserError(f"{item.title} was cancelled, so it isn't taking registrations.")
    existing = await registrations.of(item.id, context.user.id)
    if existing is not None and existing.status in (
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
    ):
        return await _update_place(context, item, existing, wanted)
    if item.starts_at <= context.now:
        raise UserError(f"{item.title} has already started. `sessions` shows what's coming up.")
    if item.registration_deadline is not None and context.now > item.registration_deadline:
        raise UserError(
            f"Registration for {item.title} closed on {when(item.registration_deadline, zone)}. "
            "If you'd still like to come, ask the network's contact."
        )
    if (
        item.invite_only
        and not is_organiser(context, item)
        and not await registrations.is_invited(item.id, context.user.id)
    ):
        network = await context.session.get(Network, item.network_id)
        contact = network.contact if network and network.contact else "the network's leads"
        raise UserError(
            f"{item.title} is by invitation only. If you think you should have been invited "
            f"(or would like to be), ask {contact}."
        )
    taken = await registrations.count(item.id, RegistrationStatus.REGISTERED)
    status = (
        RegistrationStatus.REGISTERED
        if item.capacity is None or taken < item.capacity
        else RegistrationStatus.WAITLISTED
    )
    position = await registrations.next_position(item.id)
    if existing is None:
        existing = await registrations.add(
            SessionRegistration(
                session_id=item.id,
                user_id=context.user.id,
                status=status,
                position=position,
                registered_at=context.now,
                attended=False,
                neutral_title=wanted.private,
                calendar_sequence=0,
                feedback_given=False,
                created_at=context.now,
            )
        )
    else:
        # Coming back after cancelling: to the back of the queue, like anyone new.
        existing.status = status
        existing.position = position
        existing.registered_at = context.now
        existing.neutral_title = wanted.private
    if wanted.needs:
        keep_needs(context, existing, item, wanted.needs)
    await context.session.flush()
    return await _place_reply(context, item, existing, wanted.needs)


async def _update_place(
    context: HandlerContext,
    item: NetworkSession,
    registration: SessionRegistration,
    wanted: Register,
) -> Reply:
    if wanted.private:
        # Asking again with `private` swaps the calendar event for one with a neutral title.
        registration.neutral_title = True
    if wanted.needs is None:
        extra = (
            ""
            if registration.status == RegistrationStatus.REGISTERED
            else " I'll tell you if a place comes up."
        )
        already = (
            "You're already registered"
            if registration.status == RegistrationStatus.REGISTERED
            else "You're already on the waitlist"
        )
        reply = await _place_reply(context, item, registration, None)
        return Reply(
            text=f"{already} for {item.title}.{extra}\n{reply.text}",
            buttons=reply.buttons,
            attachments=reply.attachments,
        )
    if not wanted.needs:
        raise UserError(
            "What do you need to take part? For example "
            f"`register {item.id} needs: captions please`.",
            field="needs",
        )
    keep_needs(context, registration, item, wanted.needs)
    return Reply(
        text=f"Thank you, I've passed your access needs for {item.title} to its organisers. "
        + needs_note(context),
        buttons=session_buttons(item, registration.status),
    )


async def _place_reply(
    context: HandlerContext,
    item: NetworkSession,
    registration: SessionRegistration,
    needs: str | None,
) -> Reply:
    zone = context.services.settings.timezone
    registrations = RegistrationRepository(context.session)
    needs_text = f" {needs_note(context)}" if needs else ""
    ask_needs = (
        ""
        if needs or registration.access_needs
        else "\nIs there anything you need to take part, like captions or a quiet room? "
        "Add your access needs with the button: only the organisers see them."
    )
    buttons = session_buttons(item, registration.status)
    if registration.status == RegistrationStatus.WAITLISTED:
        place = await registrations.waitlist_place(registration)
        return Reply(
            text=(
                f"{item.title} ({when(item.starts_at, zone)}) is full, so you're number {place} "
                f"on the waitlist. If a place comes up I'll tell you privately and send the "
                f"calendar file.{needs_text}"
            ),
            buttons=buttons,
        )
    return Reply(
        text=(
            f"You're registered for {item.title}: {when(item.starts_at, zone)}, "
            f"{how_long(item.duration_minutes)}, {item.location or 'place to be confirmed'}.\n"
            f"{_HERE_IS_A_FILE}{needs_text}{ask_needs}"
        ),
        buttons=buttons,
        attachments=(
            replace(calendar_invite(context, item, registration), mention=_HERE_IS_A_FILE),
        ),
    )


# The words announcing a calendar file; a platform that cannot deliver it takes them out.
_HERE_IS_A_FILE = "Here's a calendar file for it."
_HERE_IS_AN_UPDATE = "Here's a calendar update that removes it from your calendar."


async def cancel(context: HandlerContext) -> Reply:
    session_id = context.given(CancelPlace).session
    registrations = RegistrationRepository(context.session)
    item = await SessionRepository(context.session).lock_session(session_id)
    registration = None if item is None else await registrations.of(item.id, context.user.id)
    if item is None or registration is None or registration.status == RegistrationStatus.CANCELLED:
        raise UserError(
            f"You don't have a place at session {session_id}, so there's nothing to cancel. "
            "`my` shows your sessions."
        )
    was = registration.status
    await give_up_place(context, item, registration)
    if was == RegistrationStatus.WAITLISTED:
        return Reply(text=f"Done: you're off the waitlist for {item.title}.")
    return Reply(
        text=(
            f"Done: I've cancelled your place at {item.title}. {_HERE_IS_AN_UPDATE}"
        ),
        attachments=(
            replace(calendar_cancellation(context, item, registration), mention=_HERE_IS_AN_UPDATE),
        ),
    )
