"""People's names from Slack's directory (`users.info`), kept for a while; and the
welcome for someone who opens the bot's Messages tab for the first time.

Slack's payloads carry ids, and the names some of them carry (`user_name`, `username`)
are legacy handles, not what colleagues see. Each id is looked up once in a while and the
answer kept for `ttl` seconds, for at most `size` people (the least recently used go).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import aiohttp

from bot.inbound import display_name
from bot.logs import log_event
from bot.messages import Call, Conversation, Person, Reply, Request
from bot.platforms.slack.requests import PLATFORM
from bot.platforms.slack.sender import SlackRefusal, SlackSender

if TYPE_CHECKING:
    from bot.platforms.slack.app import SlackAdapter

_log = logging.getLogger("allybot.slack")

NAME_TTL_SECONDS = 3600.0
NAME_CACHE_SIZE = 2000


def name_in(user: dict[str, Any]) -> str:
    """The name Slack shows for a `users.info` user: display name, else real name."""
    profile = user.get("profile") or {}
    for candidate in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            return display_name(candidate)
    return ""


class SlackDirectory:
    """bot.services.NameSource for Slack."""

    def __init__(
        self,
        sender: SlackSender,
        *,
        ttl: float = NAME_TTL_SECONDS,
        size: int = NAME_CACHE_SIZE,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sender = sender
        self.ttl = ttl
        self.size = size
        self._monotonic = monotonic
        self._names: OrderedDict[str, tuple[float, str]] = OrderedDict()

    async def display_name(self, external_id: str) -> str:
        now = self._monotonic()
        kept = self._names.get(external_id)
        if kept is not None and kept[0] > now:
            self._names.move_to_end(external_id)
            return kept[1]
        name = await self._look_up(external_id)
        # A failed look-up is tried again sooner than a name is refreshed.
        self._names[external_id] = (now + (self.ttl if name else min(self.ttl, 60.0)), name)
        self._names.move_to_end(external_id)
        while len(self._names) > self.size:
            self._names.popitem(last=False)
        return name

    def forget(self, external_id: str) -> None:
        self._names.pop(external_id, None)

    async def _look_up(self, external_id: str) -> str:
        try:
            answer = await self.sender.call(
                "users.info", self.sender.client.users_info(user=external_id)
            )
        except SlackRefusal:
            # Logged by the sender with Slack's reason (a missing users:read, a deleted
            # account); the id stands in for the name until the next look-up.
            return ""
        except (aiohttp.ClientError, TimeoutError) as error:
            log_event(_log, logging.WARNING, "slack_name_unavailable", error=type(error).__name__)
            return ""
        user = answer.get("user")
        return name_in(user) if isinstance(user, dict) else ""


async def named(directory: SlackDirectory, request: Request) -> Request:
    """`request` with the person's display name from Slack's directory (payloads carry only
    ids), so lists and shared posts can name them."""
    name = await directory.display_name(request.person.id)
    if not name:
        return request
    return replace(request, person=replace(request.person, display_name=name))


def welcome_work(
    adapter: SlackAdapter, user: str, channel: str, key: str
) -> Callable[[], Awaitable[None]]:
    """Someone opened the bot's Messages tab: the welcome, in that conversation, the first
    time only (the `welcome` command notes whom it greeted, and keeps no user row)."""
    request = Request(
        person=Person(PLATFORM, user),
        text="",
        conversation=Conversation(channel or f"D{user}", shared=False),
        call=Call.of("welcome", first="true"),
    )

    async def answer(reply: Reply) -> None:
        if channel:
            await adapter.sender.post(channel, reply)
        else:
            await adapter.sender.post_direct(user, reply)

    async def work() -> None:
        # No name looked up: nobody asked, and a name fetched now would be kept in the
        # directory for someone who may just have asked to be forgotten.
        replies = await adapter.application.router.dispatch_once(request, key)
        for reply in replies or []:
            await answer(reply)

    return work
