"""The welcome: what the bot does, in three lines, with buttons to start.

Platforms ask for it (`welcome` with `first`) when someone first opens the bot's Messages
tab in Slack or adds the bot to a personal chat in Teams; it is given once a person.
Nobody asked for it, so it makes no user row: whom it greeted is noted under their keyed
pseudonym (`storage.models.Greeting`), which `forget me` notes too, so opening the tab after
`forget me` brings nothing of them back. Typed, `welcome` is shown again whenever asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from bot.arguments import Arguments
from bot.context import HandlerResult
from bot.messages import Button, ButtonStyle, Call, Reply
from bot.router import Command, HandlerContext, Router
from storage.repositories import WelcomeRepository

WELCOME_LINES = (
    "Find your workplace's staff networks and join one, as a member or as an ally.",
    "See sessions and trainings and register, telling organisers what you need privately.",
    "Ask about allyship and awareness dates, or put a question to the leads anonymously.",
)
# The buttons, each shown only when its command is there.
_STARTS = (("Networks", "networks"), ("Sessions", "sessions"), ("What can I ask?", "help"))


@dataclass(frozen=True, slots=True)
class WelcomeArguments(Arguments):
    # Set by a platform greeting someone unasked: only the first time is answered.
    first: bool = False

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls()

    def words(self) -> str:
        return ""


def welcome_reply(context: HandlerContext) -> Reply:
    buttons = tuple(
        Button(
            label,
            call=Call(phrase),
            style=ButtonStyle.PRIMARY if number == 0 else ButtonStyle.DEFAULT,
        )
        for number, (label, phrase) in enumerate(
            start for start in _STARTS if context.router.command_for(start[1]) is not None
        )
    )
    return Reply(
        text="Hi, I'm allybot. Here's what I can do for you:\n"
        + "\n".join(f"• {line}" for line in WELCOME_LINES),
        heading="Welcome to allybot",
        buttons=buttons,
    )


async def welcome(context: HandlerContext) -> HandlerResult:
    pseudonym = context.services.pseudonyms.of(context.user.key)
    greetings = WelcomeRepository(context.session)
    first = await greetings.first_time(pseudonym, context.user.id, context.now)
    if context.given(WelcomeArguments).first and not first:
        # Greeted before: opening the tab again is not a question, so nothing is said.
        return []
    return welcome_reply(context)


def register(router: Router) -> None:
    router.add(
        Command(
            phrase="welcome",
            handler=welcome,
            summary="what I can do, in three lines",
            listed=False,
            arguments=WelcomeArguments,
            makes_user=False,
        )
    )
