"""What the announcements tests share: a channel to post in, the outbox, a dispatcher."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.app import Application
from bot.clock import FixedClock
from bot.delivery import Pacer, Publishers
from bot.outbox import Dispatcher
from storage.models import OutboxPost
from storage.repositories import NetworkRepository, OutboxRepository
from tests.fakes.rate_limited_platform import FakeTime, RecordingPublisher

LONDON = ZoneInfo("Europe/London")


async def with_channels(app: Application) -> int:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "slack", "announcements", "C-PRIDE")
        return pride.id


async def outbox(app: Application, prefix: str = "announcement:") -> list[OutboxPost]:
    async with app.database.transaction() as session:
        return list(await OutboxRepository(session).with_prefix(prefix))


def dispatcher(app: Application, clock: FixedClock, publisher: RecordingPublisher) -> Dispatcher:
    publishers = Publishers()
    publishers.register("slack", publisher)
    publishers.register("console", publisher)
    fake = FakeTime()
    return Dispatcher(
        database=app.database,
        publishers=publishers,
        clock=clock,
        messenger=app.services.messenger,
        pacer=Pacer(monotonic=fake.monotonic, sleep=fake.sleep),
        descriptions=app.router.registry.descriptions,
    )
