"""The buttons that go with a session wherever it is shown: register or cancel, and access needs."""

from __future__ import annotations

from bot.messages import Button, ButtonStyle, Call
from handlers.sessions.needs import needs_form
from storage.models import NetworkSession
from storage.statuses import RegistrationStatus, SessionStatus


def session_buttons(item: NetworkSession, status: str | None) -> tuple[Button, ...]:
    if item.status != SessionStatus.SCHEDULED:
        return ()
    if status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED):
        return (
            Button("Add access needs", form=needs_form(item.id)),
            Button(
                "Cancel my place", call=Call.of("cancel", session=item.id), style=ButtonStyle.DANGER
            ),
        )
    return (
        Button("Register", call=Call.of("register", session=item.id), style=ButtonStyle.PRIMARY),
        Button("Register with access needs", form=needs_form(item.id)),
    )


def details_button(session_id: int, label: str = "Details") -> Button:
    return Button(label, call=Call.of("session", session=session_id))
