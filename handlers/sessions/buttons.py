"""The buttons that go with a session wherever it is shown: register or cancel, and access needs."""

from __future__ import annotations

from bot.messages import (
    Button,
    ButtonStyle,
)
from handlers.sessions.needs import needs_form
from storage.models import NetworkSession
from storage.statuses import RegistrationStatus, SessionStatus


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
