"""The App Home tab, built from the same commands people type, as buttons, not syntax.

Each part asks the router, so the tab fills in as features land: for a lead, `lead` (their
tasks per network, each a button or a form, with what is waiting); for everyone `my`
(networks, sessions, waitlist places), the upcoming sessions from storage, and for
colleagues `calendar` (awareness dates).
"""

from __future__ import annotations

from bot.app import Application
from bot.messages import Button, Call, Conversation, Person, Reply, Request, Section, Visibility
from bot.platforms.slack.render import Block, view_blocks
from bot.platforms.slack.requests import PLATFORM
from bot.router import Audience
from bot.wall_clock import when
from storage.repositories import DeliveryRepository, SessionRepository

UPCOMING_LIMIT = 10
# The lead tasks command (`handlers/lead_tasks`); shown when it is registered.
LEAD_TASKS = "lead"


async def _command_reply(application: Application, person: Person, phrase: str) -> list[Reply]:
    if application.router.command_for(phrase) is None:
        return []
    # The App Home is only ever seen by its owner, so private replies are right here. It is
    # built unasked (after `forget me`, say), so it reads without recording anyone.
    request = Request(person=person, text=phrase, conversation=Conversation(id="app_home"))
    return await application.router.peek(request)


async def _upcoming(application: Application) -> Reply:
    zone = application.settings.timezone
    async with application.database.transaction() as session:
        sessions = await SessionRepository(session).upcoming(
            application.services.clock.now(), limit=UPCOMING_LIMIT
        )
        lines = [f"• {item.title} — {when(item.starts_at, zone)}" for item in sessions]
    text = "\n".join(lines) or "Nothing is scheduled yet."
    return Reply(
        text=text,
        heading="Coming up",
        sections=(Section(text=text, buttons=(Button("All sessions", call=Call("sessions")),)),),
        visibility=Visibility.CONVERSATION,
    )


def _welcome(person: Person, leads: bool) -> Reply:
    buttons = (
        Button("Help", call=Call("help")),
        Button("Sessions", call=Call("sessions")),
        Button("Networks", call=Call("networks")),
    )
    text = (
        "Your lead tasks are below: each button opens a form or a list."
        if leads
        else "Join a network, book a session or ask a question: start with a button."
    )
    return Reply(text=text, heading="allybot", sections=(Section(text=text, buttons=buttons),))


async def _leads(application: Application, person: Person) -> bool:
    async with application.database.transaction() as session:
        roles = await application.router.roles_of(session, person.key)
    return roles.may_use(Audience.LEAD)


async def home_view(application: Application, person: Person) -> dict[str, object]:
    """The whole tab for one person: for a lead, their tasks first; for everyone, their
    networks and sessions, what is coming up and the awareness dates."""
    leads = await _leads(application, person)
    parts: list[Reply] = [_welcome(person, leads)]
    if leads:
        parts.extend(await _command_reply(application, person, LEAD_TASKS))
    mine = await _command_reply(application, person, "my")
    parts.extend(
        mine
        or [
            Reply(
                text="Nothing yet: your networks and sessions will show here.",
                heading="Your networks and sessions",
            )
        ]
    )
    parts.append(await _upcoming(application))
    if not leads:
        parts.extend(await _command_reply(application, person, "calendar"))
    blocks: list[Block] = view_blocks(parts)
    return {"type": "home", "blocks": blocks}


async def first_time(application: Application, key: str) -> bool:
    """Whether this delivery (an `app_home_opened`, say) is new, noting it if so."""
    now = application.services.clock.now()
    async with application.database.transaction() as session:
        return await DeliveryRepository(session).first_time(key, PLATFORM, now)
