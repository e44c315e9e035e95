"""What the announcements tests share: a channel to post in, the outbox, a dispatcher, and
pressing a button (dispatching its call) the way the console does."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.app import Application
from bot.clock import FixedClock
from bot.delivery import Pacer, Publishers
from bot.messages import Button, Call, Conversation, Person, Reply, Request
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


async def press(app: Application, call: Call | None, *, user: str) -> Reply:
    """Dispatch a button's or a form's call as `user` in the console; its one reply."""
    assert call is not None
    person = Person(platform="console", id=user, display_name=user.title())
    replies = await app.router.dispatch(Request(person, "", Conversation("D-private"), call=call))
    assert len(replies) == 1, replies
    return replies[0]


def typed(app: Application, button: Button) -> str:
    """What typing would do the same as pressing `button`."""
    assert button.call is not None, f"{button.label!r} carries no call"
    return app.router.words_for(button.call)
