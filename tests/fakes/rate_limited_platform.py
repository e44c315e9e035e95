"""Fakes for the scheduler: a publisher that records, fake time, and a rate-limited platform.

`RecordingPublisher` stands in for a platform in tests; `FakeTime` lets the pacer
"sleep" by moving a number forward; `RateLimitedPlatform` is a local HTTP server that
enforces per-channel and overall limits the way chat platforms do (429 + Retry-After),
for the benchmark and for tests that want real HTTP.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from bot.app import Application
from bot.delivery import DeliveryFailed, DeliveryTarget, Pacer, Publishers, PublishResult
from bot.messages import Reply
from bot.outbound import Messenger
from bot.outbox import Dispatcher


@dataclass(slots=True)
class FakeTime:
    """A monotonic clock that stands still; sleeping on it returns at once.

    Sleeps are recorded, not simulated: the pacer hands out slots relative to the
    moment it was asked, so the slots themselves show the pacing.
    """

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@dataclass(frozen=True, slots=True)
class Published:
    target: DeliveryTarget
    reply: Reply
    outbox_id: int


@dataclass(slots=True)
class RecordingPublisher:
    """Records every post. `failures` maps an outbox id to refusals to raise, one per try."""

    published: list[Published] = field(default_factory=list)
    failures: dict[int, list[DeliveryFailed]] = field(default_factory=dict)
    # Fails every post to these channel refs, for good.
    refuse_refs: dict[str, DeliveryFailed] = field(default_factory=dict)
    on_publish: Callable[[Published], None] | None = None
    # Seconds each post takes, as a real platform's round trip would.
    latency: float = 0.0

    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        # Let other tasks run, as a real network call would.
        await asyncio.sleep(self.latency)
        if target.ref in self.refuse_refs:
            raise self.refuse_refs[target.ref]
        scripted = self.failures.get(outbox_id)
        if scripted:
            raise scripted.pop(0)
        item = Published(target, reply, outbox_id)
        self.published.append(item)
        if self.on_publish is not None:
            self.on_publish(item)
        return PublishResult(message_id=f"m{outbox_id}")

    def ids(self) -> list[int]:
        return [item.outbox_id for item in self.published]


# ---------------------------------------------------------------------------
# A local platform that rate-limits like Slack's chat.postMessage
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class RateLimitedPlatform:
    """POST /post {"channel", "outbox_id", "text"} -> {"id"}, or 429 with Retry-After.

    At most `per_channel` messages a second in each channel and `overall` a second in
    all, over a sliding one-second window. Every accepted post is recorded with its
    outbox id, so a benchmark can count what was lost and what was duplicated.
    """

    per_channel: float = 1.0
    overall: float = 20.0
    accepted: list[tuple[str, int]] = field(default_factory=list)
    rejected: int = 0
    _recent: deque[float] = field(default_factory=deque)
    _last_in_channel: dict[str, float] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    url: str = ""

    def _verdict(self, channel: str, now: float) -> float:
        """0 to accept, else the seconds to wait."""
        # A small tolerance: a sender timing itself exactly at the limit is not "pushing".
        slack = 0.02
        last = self._last_in_channel.get(channel)
        if last is not None and now - last < 1.0 / self.per_channel - slack:
            return 1.0 / self.per_channel - (now - last)
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= math.ceil(self.overall * (1 + slack)):
            return 1.0 - (now - self._recent[0])
        return 0.0

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.json()
        channel = str(body["channel"])
        now = time.monotonic()
        wait = self._verdict(channel, now)
        if wait > 0:
            self.rejected += 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        self._recent.append(now)
        self._last_in_channel[channel] = now
        self.accepted.append((channel, int(body["outbox_id"])))
        return web.json_response({"ok": True, "id": f"{channel}-{len(self.accepted)}"})

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/post", self._post)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/post"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def counts(self, expected: set[int]) -> tuple[int, int]:
        """(lost, duplicated) among `expected` outbox ids."""
        seen = Counter(outbox_id for _, outbox_id in self.accepted)
        lost = sum(1 for outbox_id in expected if outbox_id not in seen)
        duplicated = sum(count - 1 for count in seen.values() if count > 1)
        return lost, duplicated


def instant_dispatcher(
    app: Application, publishers: Publishers, messenger: Messenger
) -> Dispatcher:
    """The outbox dispatcher on the app's clock, whose pacing waits take no real time."""
    fake = FakeTime()
    return Dispatcher(
        database=app.database,
        publishers=publishers,
        clock=app.services.clock,
        messenger=messenger,
        claimed_by="test",
        pacer=Pacer(monotonic=fake.monotonic, sleep=fake.sleep),
        descriptions=app.router.registry.descriptions,
    )
