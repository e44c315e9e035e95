"""Fan out 2,000 private reminders and 50 channel posts through the real outbox dispatcher.

A local fake platform (aiohttp on 127.0.0.1, port 0) allows one message a second in each
channel and 20 a second overall, answering 429 with Retry-After when pushed. The
figures: total time against the bound those limits imply ((N - 1) / 20 s from the first
post to the last), the 429s provoked, and how many posts were lost and duplicated
(both must be 0).

    python bench/bench_outbox.py            # 2,000 + 50 (about 100 s)
    python bench/bench_outbox.py --quick    # 200 + 10, for a smoke run
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.clock import SystemClock  # noqa: E402
from bot.delivery import (  # noqa: E402
    DeliveryFailed,
    DeliveryTarget,
    Pacer,
    Publishers,
    PublishResult,
    TargetKind,
)
from bot.messages import Reply, Visibility  # noqa: E402
from bot.outbox import Dispatcher, DispatchReport  # noqa: E402
from bot.outbox_codec import encode_reply  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.repositories import OutboxRepository, PlannedPost  # noqa: E402
from tests.fakes.messenger import RecordingMessenger  # noqa: E402
from tests.fakes.rate_limited_platform import RateLimitedPlatform  # noqa: E402

PER_CHANNEL = 1.0
OVERALL = 20.0
CHANNELS = 5


class HttpPublisher:
    """Posts to the fake platform over HTTP, turning a 429 into a retryable DeliveryFailed."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = url

    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        body = {"channel": target.ref, "outbox_id": outbox_id, "text": reply.text}
        async with self.session.post(self.url, json=body) as response:
            if response.status == 429:
                raise DeliveryFailed(
                    "ratelimited", retry_after=float(response.headers.get("Retry-After", "1"))
                )
            if response.status != 200:
                raise DeliveryFailed(f"http_{response.status}")
            return PublishResult((await response.json())["id"])


def planned(private: int, channel_posts: int, now: datetime) -> list[PlannedPost]:
    reminder = encode_reply(Reply(text="Reminder: your session starts in an hour."))
    post = encode_reply(Reply(text="Coming up this week", visibility=Visibility.CONVERSATION))
    posts = [
        PlannedPost(
            schedule_key=f"session:1:reminder-1h:bench:U{n:05d}",
            occurrence_at=now,
            due_at=now,
            network_id=None,
            platform="bench",
            target_kind=TargetKind.PERSON.value,
            target_ref=f"bench:U{n:05d}",
            message=reminder,
        )
        for n in range(private)
    ]
    posts += [
        PlannedPost(
            schedule_key=f"announcement:{n}:bench",
            occurrence_at=now,
            due_at=now,
            network_id=None,
            platform="bench",
            target_kind=TargetKind.CHANNEL.value,
            target_ref=f"C{n % CHANNELS}",
            message=post,
        )
        for n in range(channel_posts)
    ]
    return posts


async def run(private: int, channel_posts: int) -> int:
    platform = RateLimitedPlatform(per_channel=PER_CHANNEL, overall=OVERALL)
    url = await platform.start()
    folder = tempfile.mkdtemp(prefix="allybot-bench-outbox-")
    database = Database(
        os.environ.get("BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/b.db"
    )
    await database.upgrade()
    now = datetime.now(UTC)
    posts = planned(private, channel_posts, now)
    async with database.transaction() as session:
        await OutboxRepository(session).plan(posts, now)
        expected = {row.id for row in await OutboxRepository(session).with_prefix("")}
    async with aiohttp.ClientSession() as client:
        publishers = Publishers()
        publishers.register("bench", HttpPublisher(client, url))
        dispatcher = Dispatcher(
            database=database,
            publishers=publishers,
            clock=SystemClock(),
            messenger=RecordingMessenger(),
            pacer=Pacer(per_target_interval=PER_CHANNEL, overall_per_second=OVERALL),
        )
        total = DispatchReport()
        started = time.monotonic()
        # What the scheduler's dispatch job does, without waiting for its 10-second tick.
        while total.sent < len(expected) and time.monotonic() - started < 600:
            report = await dispatcher.run_once()
            total.add(report)
            if not report.handled:
                await asyncio.sleep(0.1)
        elapsed = time.monotonic() - started
    await platform.stop()
    await database.dispose()

    lost, duplicated = platform.counts(expected)
    count = len(expected)
    bound = (count - 1) / OVERALL
    print(f"posts: {private} private reminders + {channel_posts} channel posts = {count}")
    print(f"limits: {PER_CHANNEL:g}/s per channel, {OVERALL:g}/s overall")
    print(f"bound implied by the limits: {bound:.1f} s")
    print(f"total time: {elapsed:.1f} s ({elapsed / bound:.3f} x the bound)")
    print(f"429 answers provoked: {platform.rejected}; retries: {total.retried}")
    print(f"lost: {lost}  duplicated: {duplicated}  failed: {total.failed}")
    return 0 if lost == 0 and duplicated == 0 else 1


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    return asyncio.run(run(200, 10) if quick else run(2000, 50))


if __name__ == "__main__":
    raise SystemExit(main())
