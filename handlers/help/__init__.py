"""`help`: a short first screen of groups, each opening its commands; `help <command>` too."""

from __future__ import annotations

from bot.router import Command, Router
from handlers.help.screens import HelpAbout, show_help


def register(router: Router) -> None:
    for command in (
        Command(
            phrase="help",
            handler=show_help,
            summary="what I can do for you; `help sessions` for one part, `help <command>` for one",
            usage="help [<topic or command>]",
            aliases=("?", "commands"),
            arguments=HelpAbout,
        ),
    ):
        router.add(command)
