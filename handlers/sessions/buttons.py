"""The buttons that go with a session wherever it is shown: register or cancel, and access needs."""

from __future__ import annotations

from bot.messages import Button, ButtonStyle, Call
from handlers.pages import item_label
from handlers.sessions.needs import needs_form
from storage.models import NetworkSession
from storage.statuses import RegistrationStatus, SessionStatus


def session_buttons(item: NetworkSession, status: str | None) -> tuple[Button, ...]:
    if item.status != SessionStatus.SCHEDULED:
        return ()
    if status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED):
        return (
            Button(item_label("Add access needs", item.title), form=needs_form(item.id)),
            cancel_button(item),
        )
    return (
        register_button(item),
        Button(item_label("Register with access needs", item.title), form=needs_form(item.id)),
    )


def register_button(item: NetworkSession) -> Button:
    return Button(
        item_label("Register", item.title),
        call=Call.of("register", session=item.id),
        style=ButtonStyle.PRIMARY,
    )


def cancel_button(item: NetworkSession) -> Button:
    """Giving up a place: someone on the waitlist may take it, so it is styled as destructive."""
    return Button(
        item_label("Cancel", item.title),
        call=Call.of("cancel", session=item.id),
        style=ButtonStyle.DANGER,
    )


def details_button(item: NetworkSession) -> Button:
    return Button(item_label("Details", item.title), call=Call.of("session", session=item.id))
