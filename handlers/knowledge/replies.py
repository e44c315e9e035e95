"""Replies about how sure the bot is: the runner-up it offers, and the asks it declines."""

from __future__ import annotations

import dataclasses

from bot.messages import Button, Call, Reply, Section
from handlers.knowledge.base import entry_button
from handlers.knowledge.entries import Entry

NOT_ABOUT_PEOPLE = (
    "I can't say anything about a particular person's sexuality, gender, health, disability "
    "or religion, or who belongs to a network, signed up for a session or sent a question: "
    "that is theirs to share, and I keep it private for everyone, including you. If you're "
    "wondering how to support a colleague, try `ask how can i be a good ally`. If you were "
    "asking about yourself, try asking again in other words."
)


def not_about_people_reply() -> Reply:
    """The kind refusal for a guess about someone, or a question about who is a member."""
    return Reply(
        text=NOT_ABOUT_PEOPLE,
        heading="That's theirs to share",
        sections=(Section(text=NOT_ABOUT_PEOPLE),),
        buttons=(Button("Why outing someone hurts", call=Call.of("kb", entry="being-outed")),),
    )


def with_runner_up(reply: Reply, runner_up: Entry | None) -> Reply:
    """The answer, and when a second entry was nearly as close, an offer to show it."""
    if runner_up is None:
        return reply
    offer = (
        f"Not quite what you asked? This may fit better: {runner_up.title} (`kb {runner_up.id}`)."
    )
    button = entry_button(runner_up)
    return dataclasses.replace(
        reply,
        text=f"{reply.text}\n\n{offer}",
        sections=(*reply.sections, Section(text=offer, buttons=(button,))),
        # Offered once: not again among the related entries.
        buttons=tuple(item for item in reply.buttons if item.call != button.call),
    )
