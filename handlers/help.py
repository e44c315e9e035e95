"""`help`: what this person may do, leads' commands included for leads."""

from __future__ import annotations

from bot.messages import Button, Reply, Section
from bot.router import Audience, Command, HandlerContext, Router


async def show_help(context: HandlerContext) -> Reply:
    everyone: list[str] = []
    leads: list[str] = []
    for command in context.router.commands:
        if not context.roles.may_use(command.audience):
            continue
        line = f"`{command.shown_usage}` — {command.summary}"
        (everyone if command.audience is Audience.EVERYONE else leads).append(line)
    sections = [Section(heading="What you can ask me", text="\n".join(everyone))]
    if leads:
        sections.append(Section(heading="For network leads", text="\n".join(leads)))
    text = "Here is what I can do:\n" + "\n".join(everyone)
    if leads:
        text += "\n\nFor network leads:\n" + "\n".join(leads)
    return Reply(
        text=text,
        heading="allybot help",
        sections=tuple(sections),
        buttons=(Button("Networks", "networks"),),
        context="Everything you tell me about yourself stays between you and your network's leads.",
    )


def register(router: Router) -> None:
    router.add(
        Command(
            phrase="help",
            handler=show_help,
            summary="what I can do for you",
            aliases=("?", "commands"),
        )
    )
