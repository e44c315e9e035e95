"""`calendar link <network>`: the address of a network's calendar feed, and `... rotate`.

Anyone may have the link: the feed holds only sessions anyone may join, and no one's name.
It is still only ever given privately, so the token never lands in a shared channel, where
people who left the network could keep it. Leads (and admins) rotate it when it has leaked;
the old address then answers 404, and subscribers need the new one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Self

from bot.arguments import Arguments
from bot.errors import ConfigError, UserError
from bot.logs import log_event
from bot.messages import Button, ButtonStyle, Call, Reply, Section, Visibility
from bot.router import HandlerContext
from handlers.calendar_feed.feed import feed_path
from handlers.calendar_link import CALENDAR_LINK
from handlers.leading import require_lead
from handlers.networks import find_network
from storage.repositories import CalendarFeedRepository

_log = logging.getLogger("allybot.calendar")

_ROTATE_WORDS = frozenset({"rotate", "new", "reset"})


@dataclass(frozen=True, slots=True)
class FeedLink(Arguments):
    network: str
    rotate: bool = False

    @classmethod
    def parse(cls, words: str) -> Self:
        tokens = words.split()
        rotate = bool(tokens) and tokens[-1].lower() in _ROTATE_WORDS
        if rotate:
            tokens = tokens[:-1]
        return cls(network=" ".join(tokens), rotate=rotate)

    def words(self) -> str:
        return f"{self.network} rotate" if self.rotate else self.network


def _unconfigured(context: HandlerContext) -> str:
    if context.roles.admin:
        return (
            "Calendar links aren't set up on this bot yet: set `server.public_url` in its "
            "configuration (`allybot check-config` says where it is read from)."
        )
    return (
        "Calendar links aren't set up on this bot yet. Please ask an admin to set the "
        "bot's public address."
    )


async def calendar_link(context: HandlerContext) -> Reply:
    wanted = context.given(FeedLink)
    network = await find_network(context, wanted.network)
    settings = context.services.settings
    try:
        settings.public_link("/")
    except ConfigError as error:
        # Where the configuration lives says something about the server colleagues need
        # not know: the source goes to the log (and `allybot check-config`), not the chat.
        log_event(_log, logging.WARNING, "calendar_link_unconfigured", source=error.source)
        raise UserError(_unconfigured(context)) from error
    feeds = CalendarFeedRepository(context.session)
    if wanted.rotate:
        require_lead(context, network, "give its calendar a new link")
        token = await feeds.rotate(network.id, context.now)
    else:
        token = await feeds.token_of(network.id, context.now)
    url = settings.public_link(feed_path(network.slug, token, neutral=False))
    neutral_url = settings.public_link(feed_path(network.slug, token, neutral=True))
    opening = (
        f"{network.name}'s calendar has a new link; the old one no longer works. "
        "Anyone subscribed needs this one:"
        if wanted.rotate
        else f"Add {network.name}'s sessions to your calendar once, and it keeps up:"
    )
    how = (
        "In Outlook: Add calendar, then Subscribe from web. "
        "In Google Calendar: Other calendars, then From URL. Paste the address."
    )
    neutral = (
        "If others can see your calendar, this one calls every session "
        f'"Staff network session":\n{neutral_url}'
    )
    keep = (
        "It lists the sessions anyone can join, never who's going. "
        "Please keep the address to yourself rather than posting it in a channel."
    )
    buttons: tuple[Button, ...] = ()
    if context.roles.leads(network.id):
        buttons = (
            Button(
                "New link (the old one stops working)",
                call=Call.of(CALENDAR_LINK, network=network.slug, rotate="yes"),
                style=ButtonStyle.DANGER,
            ),
        )
    return Reply(
        heading=f"{network.name}: subscribe to its sessions",
        text=f"{opening}\n{url}\n{how}\n{neutral}\n{keep}",
        sections=(
            Section(text=f"{opening}\n{url}"),
            Section(text=how),
            Section(text=neutral),
        ),
        context=keep,
        buttons=buttons,
        visibility=Visibility.PRIVATE,
    )
