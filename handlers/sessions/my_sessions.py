"""Someone's own sessions: their part of `my`, and `my sessions page <n>` for the rest.

A person can hold a lot of places (170 bookings has happened), each with its own Cancel
or Register button, so `my` shows the first page of them and More shows the next.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.messages import Button, Call, Reply, Section, sections_text
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.pages import button_sets, more_section, paginate
from handlers.sessions.arguments import MySessions, checked_page
from handlers.sessions.buttons import cancel_button, register_button
from storage.repositories import RegistrationRepository

MY_SESSIONS = "my sessions"
# Each booking has its own button; 10 keeps a page of them short on every platform.
MY_SESSIONS_PAGE = 10


async def my_sessions(context: HandlerContext) -> tuple[Section, ...]:
    return await my_sessions_page(context, 1)


async def my_sessions_page(context: HandlerContext, number: int) -> tuple[Section, ...]:
    """A page of someone's bookings and invitations, a button for each, and More if needed."""
    registrations = RegistrationRepository(context.session)
    zone = context.services.settings.timezone
    lines = []
    buttons: list[Button] = []
    for booking in await registrations.bookings_of(context.user.id, context.now):
        item = booking.session
        state = (
            "registered"
            if booking.waitlist_place is None
            else f"number {booking.waitlist_place} on the waitlist"
        )
        # The number as plain words, as `sessions` shows it: the button beside does the work.
        lines.append(f"• {item.title} — {when(item.starts_at, zone)}: {state} (session {item.id})")
        buttons.append(cancel_button(item))
    for item in await registrations.open_invitations(context.user.id, context.now):
        lines.append(
            f"• Invitation: {item.title} — {when(item.starts_at, zone)} (session {item.id})"
        )
        buttons.append(register_button(item))
    page = paginate(lines, number, size=MY_SESSIONS_PAGE)
    if not lines:
        return (
            Section(
                heading="Your sessions",
                text="No sessions booked yet.",
                buttons=(Button("Sessions", call=Call.of("sessions")),),
            ),
        )
    more = more_section(page, MY_SESSIONS, call=Call.of(MY_SESSIONS))
    return (
        Section(heading="Your sessions", text=page.text),
        *button_sets(page.of(buttons)),
        *((more,) if more else ()),
    )


async def show_my_sessions(context: HandlerContext) -> Reply:
    given = context.given(MySessions)
    typed, number = given.typed, checked_page(given.page)
    if typed:
        raise UserError(f"Use `{MY_SESSIONS}`, or `{MY_SESSIONS} page 2` for the next page.")
    shown = await my_sessions_page(context, number)
    return Reply(text=sections_text(shown), heading="Your networks and sessions", sections=shown)
