"""Access needs: the form that asks for them, how long they are kept, what people are told.

They are often health information, so only the session's organisers see them, and they
are deleted a while after the session ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.messages import Call, Form, FormField, FormFieldKind
from bot.router import HandlerContext
from handlers.sessions.common import ends_at
from storage.database import Database
from storage.models import NetworkSession, SessionRegistration
from storage.repositories import purge_expired_access_needs

MAX_NEEDS_CHARS = 1000
# The kind of the access needs form, built again from a reference (see `builders`).
NEEDS_FORM = "session-needs"


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
        call=Call.of("register", session=session_id),
        kind=NEEDS_FORM,
        params=(("session", str(session_id)),),
        submit_label="Send privately",
    )


def needs_note(context: HandlerContext) -> str:
    days = context.services.settings.sessions.access_needs_kept_days
    later = "on the day the session ends" if days == 0 else f"{days} days after the session"
    return (
        "Only the session's organisers (its network's leads and facilitators) and the bot's "
        f"admins will see your access needs, and I'll delete them {later}."
    )


def keep_needs(
    context: HandlerContext, registration: SessionRegistration, item: NetworkSession, needs: str
) -> None:
    """Store (or with an empty text, clear) access needs, to be deleted a while after the end."""
    days = context.services.settings.sessions.access_needs_kept_days
    registration.access_needs = needs or None
    registration.needs_delete_after = ends_at(item) + timedelta(days=days) if needs else None


async def purge_expired_needs(database: Database, now: datetime) -> int:
    """The daily job: access needs are deleted once their session is long enough past."""
    async with database.transaction() as session:
        return await purge_expired_access_needs(session, now)
