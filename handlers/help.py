"""`help`: what this person may do, leads' commands included for leads."""

from __future__ import annotations

from bot.messages import Button, Call, Reply, Section
from bot.router import Audience, Command, HandlerContext, Router

# Who may use a command -> its heading in `help` (everyone's commands come first, unheaded).
_HEADINGS = {Audience.LEAD: "For network leads", Audience.ADMIN: "For admins"}


async def show_help(context: HandlerContext) -> Reply:
    lines: dict[Audience, list[str]] = {audience: [] for audience in Audience}
    for command in context.router.commands:
        if command.listed and context.roles.may_use(command.audience):
            lines[command.audience].append(f"`{command.shown_usage}` — {command.summary}")
    everyone = lines[Audience.EVERYONE]
    sections = [Section(heading="What you can ask me", text="\n".join(everyone))]
    text = "Here is what I can do:\n" + "\n".join(everyone)
    for audience, heading in _HEADINGS.items():
        if lines[audience]:
            sections.append(Section(heading=heading, text="\n".join(lines[audience])))
            text += f"\n\n{heading}:\n" + "\n".join(lines[audience])
    return Reply(
        text=text,
        heading="allybot help",
        sections=tuple(sections),
        buttons=(Button("Networks", call=Call("networks")),),
        context=(
            "What you tell me about yourself is seen only by you, your network's leads and "
            "the bot's admins. `my data` shows all of it."
        ),
    )


def register(router: Router) -> None:
    for command in (
        Command(
            phrase="help",
            handler=show_help,
            summary="what I can do for you",
            aliases=("?", "commands"),
        ),
    ):
        router.add(command)
