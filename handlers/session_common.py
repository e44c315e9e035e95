"""What every part of the sessions feature shows the same way: a place's calendar file and
the buttons that go with a session. Kept apart so that `handlers.places`, which gives out
freed places from several features, needs nothing from the command modules."""

from __future__ import annotations

from bot.errors import UserError
from bot.messages import Attachment, Button, ButtonStyle, Form, FormField, FormFieldKind
from bot.router import HandlerContext
from handlers.icalendar_files import CalendarEvent, cancellation_file, event_uid, invite_file
from storage.models import NetworkSession, SessionRegistration
from storage.repositories import SessionRepository
from storage.statuses import RegistrationStatus, SessionStatus

MAX_NEEDS_CHARS = 1000


async def load_session(context: HandlerContext, session_id: int) -> NetworkSession:
    found = await SessionRepository(context.session).get_session(session_id)
    if found is None:
        raise UserError(f"I can't find session {session_id}. `sessions` lists what's coming up.")
    return found


def calendar_event(item: NetworkSession, registration: SessionRegistration) -> CalendarEvent:
    return CalendarEvent(
        uid=event_uid(item.id, registration.id),
        sequence=registration.calendar_sequence,
        title=item.title,
        starts_at=item.starts_at,
        duration_minutes=item.duration_minutes,
        location=item.location,
        description=item.description,
    )


def calendar_invite(
    context: HandlerContext, item: NetworkSession, registration: SessionRegistration
) -> Attachment:
    """A calendar file for this registration; each one sent replaces the one before."""
    return _calendar_file(context, item, registration, cancelled=False)


def calendar_cancellation(
    context: HandlerContext, item: NetworkSession, registration: SessionRegistration
) -> Attachment:
    return _calendar_file(context, item, registration, cancelled=True)


def _calendar_file(
    context: HandlerContext,
    item: NetworkSession,
    registration: SessionRegistration,
    *,
    cancelled: bool,
) -> Attachment:
    registration.calendar_sequence += 1
    build = cancellation_file if cancelled else invite_file
    return build(
        calendar_event(item, registration),
        context.services.settings.timezone,
        context.now,
        neutral=registration.neutral_title,
    )


def needs_form(session_id: int) -> Form:
    return Form(
        id=f"session-needs-{session_id}",
        title="Access needs",
        fields=(
            FormField(
                name="needs",
                label="Is there anything you need to take part?",
                kind=FormFieldKind.MULTILINE,
                placeholder="Captions, a quiet breakout room, slides in advance…",
                max_length=MAX_NEEDS_CHARS,
            ),
        ),
        command=f"register {session_id} needs: {{needs}}",
        submit_label="Send privately",
    )


def session_buttons(item: NetworkSession, status: str | None) -> tuple[Button, ...]:
    if item.status != SessionStatus.SCHEDULED:
        return ()
    if status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED):
        return (
            Button("Add access needs", f"register {item.id} needs:", form=needs_form(item.id)),
            Button("Cancel my place", f"cancel {item.id}", ButtonStyle.DANGER),
        )
    return (
        Button("Register", f"register {item.id}", ButtonStyle.PRIMARY),
        Button(
            "Register with access needs", f"register {item.id} needs:", form=needs_form(item.id)
        ),
    )
