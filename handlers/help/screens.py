"""What `help` shows: a short first screen of groups, a group's commands, or one command.

The first screen is a handful of groups, each a button, rather than every command at
once (29 of them for a colleague, 63 for a lead), so nobody needs a manual to start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from bot.arguments import Arguments
from bot.errors import UserError
from bot.messages import Button, Call, Reply, Section
from bot.roles import Audience
from bot.router import Command, HandlerContext
from handlers.help.topics import (
    GROUPS,
    HELP_PHRASE,
    OTHER,
    Group,
    group_for_words,
    group_of_phrase,
)

PRIVACY = (
    "What you tell me about yourself is seen only by you, your network's leads and "
    "the bot's admins. `my data` shows all of it."
)
INTRO = (
    "Here's what I can help with: pick one to see how. Or just type your question, "
    "like “what is allyship?”."
)
_FOR = {Audience.LEAD: "network leads", Audience.ADMIN: "admins"}


@dataclass(frozen=True, slots=True)
class HelpAbout(Arguments):
    """`help`, `help sessions` (a group), `help register` (one command)."""

    topic: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls(topic=words.strip())

    def words(self) -> str:
        return self.topic


def group_button(group: Group) -> Button:
    return Button(group.title, call=Call.of("help", topic=group.topic.value))


ALL_HELP = Button("All help", call=Call(HELP_PHRASE))


def _usable(context: HandlerContext) -> dict[str, Command]:
    """The commands help may show this person, by phrase, in registration order."""
    return {
        command.phrase: command
        for command in context.router.commands
        if command.listed
        and command.phrase != HELP_PHRASE
        and context.roles.may_use(command.audience)
    }


def _parts(group: Group, usable: dict[str, Command]) -> list[tuple[str, list[Command]]]:
    """A group's headed lists of commands this person may use (empty parts left out)."""
    if group is OTHER:
        parts = [("", _ungrouped(usable, Audience.EVERYONE))]
    else:
        parts = [
            (part.heading, [usable[p] for p in part.phrases if p in usable]) for part in group.parts
        ]
    if group.audience is not Audience.EVERYONE:
        # A leads' or admins' command no group names belongs with the others of its kind.
        parts.append(("More", _ungrouped(usable, group.audience)))
    return [(heading, commands) for heading, commands in parts if commands]


def _ungrouped(usable: dict[str, Command], audience: Audience) -> list[Command]:
    return [
        command
        for phrase, command in usable.items()
        if group_of_phrase(phrase) is OTHER and command.audience is audience
    ]


def _groups(context: HandlerContext, usable: dict[str, Command]) -> list[Group]:
    return [
        group
        for group in (*GROUPS, OTHER)
        if context.roles.may_use(group.audience) and _parts(group, usable)
    ]


def _line(command: Command) -> str:
    return f"`{command.shown_usage}` — {command.summary}"


def help_buttons(context: HandlerContext) -> tuple[Button, ...]:
    """One button per part of help this person has: what a greeting offers."""
    usable = _usable(context)
    return tuple(group_button(group) for group in _groups(context, usable))


def first_screen(context: HandlerContext, note: str = "") -> Reply:
    usable = _usable(context)
    groups = _groups(context, usable)
    intro = f"{note}\n{INTRO}" if note else INTRO
    lines = [f"• {group.title}: {group.blurb} (`help {group.topic}`)" for group in groups]
    return Reply(
        text="\n".join([intro, *lines]),
        heading="allybot help",
        sections=(
            Section(text=intro),
            *(
                Section(heading=group.title, text=group.blurb, buttons=(group_button(group),))
                for group in groups
            ),
        ),
        context=f"{PRIVACY} `help <command>` explains one command.",
    )


def group_screen(context: HandlerContext, group: Group) -> Reply:
    if not context.roles.may_use(group.audience):
        raise UserError(
            f"That part of help is for {_FOR[group.audience]}. Type `help` to see yours."
        )
    usable = _usable(context)
    parts = _parts(group, usable)
    sections = [
        Section(heading=heading or None, text="\n".join(_line(c) for c in commands))
        for heading, commands in parts
    ]
    text = [f"{group.title}:"]
    for heading, commands in parts:
        text += ([f"\n{heading}:"] if heading else []) + [_line(c) for c in commands]
    starts = tuple(
        Button(start.label, call=Call(start.phrase), style=start.style)
        for start in group.starts
        if start.phrase in usable
    )
    return Reply(
        text="\n".join(text),
        heading=f"Help: {group.title}",
        sections=tuple(sections or [Section(text="Nothing here for you yet.")]),
        buttons=(*starts, ALL_HELP),
        context="Words in <angle brackets> are yours to fill in; what is in [square brackets] "
        "you may leave out.",
    )


def command_screen(context: HandlerContext, command: Command) -> Reply:
    if not context.roles.may_use(command.audience):
        raise UserError(
            f"`{command.phrase}` is for {_FOR[command.audience]}. Type `help` to see yours."
        )
    group = group_of_phrase(command.phrase)
    line = _line(command)
    buttons = (group_button(group), ALL_HELP) if command.phrase != HELP_PHRASE else (ALL_HELP,)
    return Reply(
        text=line,
        heading=f"Help: {command.phrase}",
        sections=(Section(text=line),),
        buttons=buttons,
    )


async def show_help(context: HandlerContext) -> Reply:
    wanted = context.given(HelpAbout).topic
    if not wanted:
        return first_screen(context)
    group = group_for_words(wanted)
    if group is not None:
        return group_screen(context, group)
    phrase = context.router.phrase_of(wanted)
    command = context.router.command_for(phrase) if phrase else None
    if command is not None:
        return command_screen(context, command)
    return first_screen(context, note=f"I have no help on “{wanted}”.")
