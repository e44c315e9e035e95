"""The App Home tab, built from the same commands people type.

Each part asks the router, so the tab fills in as features land: `my` (networks,
sessions, waitlist places) and `calendar` (awareness dates) when those commands
exist, the upcoming sessions from storage, and for leads a button per lead command
that needs no arguments (the others are listed with their usage).
"""

from __future__ import annotations

from bot.app import Application
from bot.messages import Button, Call, Conversation, Person, Reply, Request, Section, Visibility
from bot.platforms.slack.render import Block, view_blocks
from bot.router import Audience
from bot.wall_clock import when
from storage.repositories import SessionRepository

UPCOMING_LIMIT = 10


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
        lines = [
            f"• {item.title} — {when(item.starts_at, zone)} (`session {item.id}`)"
            for item in sessions
        ]
    text = "\n".join(lines) or "Nothing is scheduled yet."
    return Reply(text=text, heading="Coming up", visibility=Visibility.CONVERSATION)


async def _lead_shortcuts(application: Application, person: Person) -> Reply | None:
    async with application.database.transaction() as session:
        roles = await application.router.roles_of(session, person.key)
    if not roles.may_use(Audience.LEAD):
        return None
    commands = [
        command
        for command in application.router.commands
        if command.audience is not Audience.EVERYONE and roles.may_use(command.audience)
    ]
    if not commands:
        return Reply(text="No lead tasks are available yet.", heading="Your lead tasks")
    buttons = tuple(
        Button(command.phrase.capitalize(), call=Call(command.phrase))
        for command in commands
        if "<" not in command.shown_usage
    )
    listed = "\n".join(f"`{command.shown_usage}` — {command.summary}" for command in commands)
    return Reply(
        text=listed,
        heading="Your lead tasks",
        sections=(Section(text=listed, buttons=buttons),),
    )


async def home_view(application: Application, person: Person) -> dict[str, object]:
    """The whole tab for one person."""
    parts: list[Reply] = [
        Reply(
            text="Hello! Send me `help` in a message, or use `/ally help` anywhere.",
            heading="allybot",
        )
    ]
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
    parts.extend(await _command_reply(application, person, "calendar"))
    shortcuts = await _lead_shortcuts(application, person)
    if shortcuts is not None:
        parts.append(shortcuts)
    blocks: list[Block] = view_blocks(parts)
    return {"type": "home", "blocks": blocks}
