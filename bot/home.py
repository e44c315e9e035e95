"""A person's home: the overview a platform shows unasked (Slack's App Home), as replies.

Each part asks the router, so the home fills in as features land: `my` (networks,
sessions, waitlist places) and `calendar` (awareness dates) when those commands exist,
the parts features register with `Router.add_home_part` (the upcoming sessions), and for
leads a button per lead command that needs no arguments (the others are listed with
their usage). Platforms only render what this returns.
"""

from __future__ import annotations

from bot.messages import Button, Conversation, Person, Reply, Request, Section
from bot.roles import Audience
from bot.router import Router

# The home is only ever seen by its owner, so private replies are right here.
HOME_CONVERSATION = Conversation(id="app_home")


async def _command_reply(router: Router, person: Person, phrase: str) -> list[Reply]:
    if router.command_for(phrase) is None:
        return []
    # It is built unasked (after `forget me`, say), so it reads without recording anyone.
    request = Request(person=person, text=phrase, conversation=HOME_CONVERSATION)
    return await router.peek(request)


async def _registered_parts(router: Router, person: Person) -> list[Reply]:
    replies: list[Reply] = []
    for part in router.home_parts:
        request = Request(person=person, text=part.phrase, conversation=HOME_CONVERSATION)
        replies.extend(await router.peek(request, part))
    return replies


async def _lead_shortcuts(router: Router, person: Person) -> Reply | None:
    async with router.services.database.transaction() as session:
        roles = await router.roles_of(session, person.key)
    if not roles.may_use(Audience.LEAD):
        return None
    commands = [
        command
        for command in router.commands
        if command.audience is not Audience.EVERYONE and roles.may_use(command.audience)
    ]
    if not commands:
        return Reply(text="No lead tasks are available yet.", heading="Your lead tasks")
    buttons = tuple(
        Button(command.phrase.capitalize(), command.phrase)
        for command in commands
        if "<" not in command.shown_usage
    )
    listed = "\n".join(f"`{command.shown_usage}` — {command.summary}" for command in commands)
    return Reply(
        text=listed,
        heading="Your lead tasks",
        sections=(Section(text=listed, buttons=buttons),),
    )


async def home_replies(router: Router, person: Person) -> list[Reply]:
    """The whole home for one person, part by part."""
    parts: list[Reply] = [
        Reply(
            text="Hello! Send me `help` in a message, or use `/ally help` anywhere.",
            heading="allybot",
        )
    ]
    mine = await _command_reply(router, person, "my")
    parts.extend(
        mine
        or [
            Reply(
                text="Nothing yet: your networks and sessions will show here.",
                heading="Your networks and sessions",
            )
        ]
    )
    parts.extend(await _registered_parts(router, person))
    parts.extend(await _command_reply(router, person, "calendar"))
    shortcuts = await _lead_shortcuts(router, person)
    if shortcuts is not None:
        parts.append(shortcuts)
    return parts
