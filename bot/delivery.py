"""How scheduled posts leave the bot: a neutral publisher port and a pacer.

Platform modules implement `ChannelPublisher` (Slack posts with message metadata,
Teams continues a stored conversation); the dispatcher only sees these types, so no
SDK is imported here. A publisher raises `DeliveryFailed` for anything the platform
refused, saying whether trying again could help and how long the platform asked us
to wait.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.messages import Reply
from bot.outbound import Messenger, Notice


class TargetKind(StrEnum):
    CHANNEL = "channel"
    PERSON = "person"


@dataclass(frozen=True, slots=True)
class DeliveryTarget:
    """Where one post goes: a channel id, or a person key (`platform:id`) for a private post."""

    platform: str
    kind: TargetKind
    ref: str


@dataclass(frozen=True, slots=True)
class PublishResult:
    """What the platform called the message it posted (a Slack `ts`, a Teams activity id)."""

    message_id: str = ""


class DeliveryFailed(Exception):
    """The platform did not take the post.

    `permanent` means trying again cannot help (channel not found, bot not in the
    channel, a missing permission); `fix` then says, in plain words, what a lead or an
    operator should do. `retry_after` is the wait the platform asked for, in seconds.
    `reason` is a short code or phrase for logs and the outbox, never message content.
    """

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        fix: str = "",
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
        self.fix = fix


class Sighting(StrEnum):
    """Whether a platform saw an earlier attempt at a post arrive."""

    FOUND = "found"
    ABSENT = "absent"
    # The platform offers no way to look (Teams), or looking failed: send again.
    CANNOT_TELL = "cannot_tell"


@dataclass(frozen=True, slots=True)
class EarlierSend:
    """What a look for an earlier attempt found; `message_id` is the post's, when found."""

    sighting: Sighting
    message_id: str = ""


CANNOT_TELL = EarlierSend(Sighting.CANNOT_TELL)


@dataclass(frozen=True, slots=True)
class SendWindow:
    """When an earlier attempt at a post can have reached the platform: a look for it reads
    only this stretch of a channel, not its past."""

    oldest: datetime
    latest: datetime


class ChannelPublisher(Protocol):
    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        """Post `reply` to `target`; raise `DeliveryFailed` when the platform refuses."""
        ...


class UpdatingPublisher(Protocol):
    """A publisher that can also edit a message it posted (optional: see `Publishers.update`)."""

    async def update(self, target: DeliveryTarget, message_id: str, reply: Reply) -> PublishResult:
        """Replace the message `message_id` in `target` with `reply`."""
        ...


class CheckingPublisher(Protocol):
    """A publisher that can tell whether a post already arrived (optional: see
    `Publishers.already_posted`)."""

    async def already_posted(
        self, target: DeliveryTarget, outbox_id: int, window: SendWindow
    ) -> EarlierSend:
        """Look in `target` for the post of `outbox_id`, sent within `window`."""
        ...


@dataclass(slots=True)
class MessengerPublisher:
    """Private posts through the platform messenger, for platforms with no publisher of their own.

    It cannot post into channels, so a channel post on such a platform fails permanently
    with a reason an operator can act on.
    """

    messenger: Messenger

    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        if target.kind is not TargetKind.PERSON:
            raise DeliveryFailed(
                "no_channel_publisher",
                permanent=True,
                fix=f"this bot cannot post into {target.platform} channels yet",
            )
        await self.messenger.send_private(Notice(recipient_key=target.ref, reply=reply))
        return PublishResult()


class Publishers:
    """The publisher for each platform; private posts fall back to the messenger."""

    def __init__(self, fallback: ChannelPublisher | None = None) -> None:
        self._by_platform: dict[str, ChannelPublisher] = {}
        self._fallback = fallback

    def register(self, platform: str, publisher: ChannelPublisher) -> None:
        self._by_platform[platform] = publisher

    @property
    def platforms(self) -> list[str]:
        return sorted(self._by_platform)

    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        publisher = self._by_platform.get(target.platform, self._fallback)
        if publisher is None:
            raise DeliveryFailed(
                "platform_not_served",
                permanent=True,
                fix=f"{target.platform} is not configured on this bot",
            )
        return await publisher.publish(target, reply, outbox_id)

    async def update(self, target: DeliveryTarget, message_id: str, reply: Reply) -> PublishResult:
        """Edit a posted message in place, where the platform's publisher can."""
        publisher = self._by_platform.get(target.platform)
        update = getattr(publisher, "update", None)
        if update is None:
            raise DeliveryFailed(
                "cannot_update",
                permanent=True,
                fix=f"this bot cannot edit its posts on {target.platform}, so the post there "
                "shows the list as it was when first posted",
            )
        result: PublishResult = await update(target, message_id, reply)
        return result

    async def already_posted(
        self, target: DeliveryTarget, outbox_id: int, window: SendWindow
    ) -> EarlierSend:
        """Whether an earlier attempt at the post arrived, where the platform can say."""
        publisher = self._by_platform.get(target.platform)
        look = getattr(publisher, "already_posted", None)
        if look is None:
            return CANNOT_TELL
        found: EarlierSend = await look(target, outbox_id, window)
        return found


Sleep = Callable[[float], Awaitable[None]]


@dataclass(slots=True)
class Pacer:
    """Spaces posts out: at most one per `per_target_interval` seconds to each channel or
    person, and at most `overall_per_second` in all.

    Time is cut into slots of 1/`overall_per_second` seconds, each used by one post.
    A post takes the earliest free slot its target's interval allows, so a channel
    waiting out its one second leaves the slots in between to other targets instead
    of holding everyone up. Reserving never awaits, so concurrent callers on one event
    loop never share a slot. Pass `monotonic` and `sleep` to test without waiting.
    """

    per_target_interval: float = 1.0
    overall_per_second: float = 20.0
    monotonic: Callable[[], float] = time.monotonic
    sleep: Sleep = asyncio.sleep
    _next_for_target: dict[str, float] = field(default_factory=dict)
    _taken: set[int] = field(default_factory=set)
    _held_until: float = 0.0

    def reserve(self, target_key: str) -> float:
        """Take the next slot for `target_key`; returns when it is (on the `monotonic` clock)."""
        now = self.monotonic()
        earliest = max(now, self._held_until, self._next_for_target.get(target_key, 0.0))
        step = 1.0 / self.overall_per_second
        index = math.ceil(earliest / step - 1e-9)
        while index in self._taken:
            index += 1
        self._taken.add(index)
        slot = index * step
        self._next_for_target[target_key] = slot + self.per_target_interval
        if len(self._taken) > 10_000 or len(self._next_for_target) > 10_000:
            self._forget_before(now)
        return slot

    async def wait_for(self, slot: float) -> None:
        wait = slot - self.monotonic()
        if wait > 0:
            await self.sleep(wait)

    async def wait_turn(self, target_key: str) -> None:
        await self.wait_for(self.reserve(target_key))

    def hold(self, target_key: str, seconds: float, *, everything: bool = False) -> None:
        """The platform asked us to wait: no post to `target_key` (or to anyone) for `seconds`."""
        until = self.monotonic() + seconds
        self._next_for_target[target_key] = max(self._next_for_target.get(target_key, 0.0), until)
        if everything:
            self._held_until = max(self._held_until, until)

    def _forget_before(self, now: float) -> None:
        # Slots and targets in the past need no memory: nothing can be placed there again.
        past = math.floor(now * self.overall_per_second)
        self._taken = {index for index in self._taken if index >= past}
        for key in [key for key, at in self._next_for_target.items() if at <= now]:
            del self._next_for_target[key]
