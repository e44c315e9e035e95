"""`allybot serve`: every configured platform on one aiohttp server, stopped gracefully."""

from __future__ import annotations

import gc
import logging
from datetime import timedelta
from typing import Protocol

from bot.app import Application, build_application
from bot.config import Settings
from bot.delivery import MessengerPublisher, Pacer, Publishers
from bot.errors import ConfigError
from bot.housekeeping import retention_jobs
from bot.logs import log_event
from bot.outbound import ChannelInvite, InviteResult, Messenger, Notice
from bot.outbox import Dispatcher, DispatchPolicy
from bot.scheduler import BotScheduler
from bot.scheduler_lock import SchedulerAlreadyRunning, SchedulerLock, sqlite_path
from bot.web import Route, StopSignals, WebServer, build_web_app, feature_route

_log = logging.getLogger("allybot.serve")


class PlatformAdapter(Protocol):
    """What a platform module hands the server: its routes, a messenger, start and stop."""

    name: str

    def routes(self) -> list[Route]: ...

    def messenger(self) -> Messenger: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class PlatformMessenger:
    """Sends each private notice through the platform its recipient is on."""

    def __init__(self) -> None:
        self._by_platform: dict[str, Messenger] = {}

    def register(self, platform: str, messenger: Messenger) -> None:
        self._by_platform[platform] = messenger

    def _for(self, person_key: str) -> Messenger:
        platform = person_key.partition(":")[0]
        messenger = self._by_platform.get(platform)
        if messenger is None:
            raise LookupError(f"no platform {platform!r} is being served")
        return messenger

    async def send_private(self, notice: Notice) -> None:
        await self._for(notice.recipient_key).send_private(notice)

    async def invite(self, invite: ChannelInvite) -> InviteResult:
        return await self._for(invite.person_key).invite(invite)

    async def channel_is_private(self, platform: str, channel_ref: str) -> bool | None:
        messenger = self._by_platform.get(platform)
        # A platform this process does not serve cannot be asked.
        if messenger is None:
            return None
        return await messenger.channel_is_private(platform, channel_ref)


def build_adapters(settings: Settings, application: Application) -> list[PlatformAdapter]:
    """The adapters for the platforms the settings enable. SDKs are imported only here, lazily."""
    adapters: list[PlatformAdapter] = []
    for platform in settings.served_platforms():
        try:
            module = __import__(f"bot.platforms.{platform}", fromlist=["build_adapter"])
        except ModuleNotFoundError as error:
            if error.name != f"bot.platforms.{platform}":
                raise
            raise ConfigError(
                platform, settings.source, "is configured, but this build has no adapter for it yet"
            ) from None
        adapters.append(module.build_adapter(settings, application))
    return adapters


def collect_publishers(adapters: list[PlatformAdapter], messenger: Messenger) -> Publishers:
    """Each adapter's publisher, if it has one; private posts elsewhere go by the messenger."""
    publishers = Publishers(fallback=MessengerPublisher(messenger))
    for adapter in adapters:
        publisher = getattr(adapter, "publisher", None)
        if callable(publisher):
            publishers.register(adapter.name, publisher())
    return publishers


class BotServer:
    def __init__(
        self,
        application: Application,
        adapters: list[PlatformAdapter],
        scheduler: BotScheduler | None = None,
        scheduler_lock: SchedulerLock | None = None,
    ) -> None:
        self.application = application
        self.adapters = adapters
        self.scheduler = scheduler
        self.scheduler_lock = scheduler_lock
        routes = [route for adapter in adapters for route in adapter.routes()]
        routes += [feature_route(route) for route in application.router.registry.web_routes]
        self.web = WebServer(
            build_web_app(application.database, routes, application.services.metrics),
            shutdown_timeout=application.settings.server.shutdown_timeout_seconds,
        )

    async def start(self, host: str, port: int) -> int:
        for adapter in self.adapters:
            await adapter.start()
        # After the adapters, so the first (catch-up) dispatch has publishers to post with.
        if self.scheduler is not None:
            await self.scheduler.start()
        return await self.web.start(host, port)

    async def stop(self) -> None:
        # The listener closes first and in-flight requests finish; only then do the
        # platform clients and the database go away underneath them.
        if self.scheduler is not None:
            # Meanwhile the outbox claims nothing more, so other replicas take over now.
            self.scheduler.dispatcher.stopping.set()
        await self.web.stop()
        if self.scheduler is not None:
            await self.scheduler.stop()
        for adapter in reversed(self.adapters):
            await adapter.stop()
        if self.scheduler_lock is not None:
            self.scheduler_lock.release()
        await self.application.close()


def freeze_startup_objects() -> None:
    """Keep what start-up built (modules, mappers, content, clients) out of later GC passes.

    Those objects live as long as the process, yet every full collection walked them all:
    with a few hundred thousand of them a pass took 30-90 ms, stalling every request in
    flight at that moment. Frozen, a full pass only walks what requests created since.
    Only for a process that serves until it exits: what is frozen is never collected.
    """
    gc.collect()
    gc.freeze()


async def run_server(settings: Settings, host: str, port: int) -> None:
    stop = StopSignals()
    messenger = PlatformMessenger()
    try:
        application = await build_application(settings, messenger=messenger, demo=False)
    except BaseException:
        stop.close()
        raise
    try:
        adapters = build_adapters(settings, application)
    except BaseException:
        stop.close()
        await application.close()
        raise
    for adapter in adapters:
        messenger.register(adapter.name, adapter.messenger())
    try:
        lock = lock_scheduler(settings)
    except BaseException:
        stop.close()
        await application.close()
        raise
    scheduler = build_scheduler(application, collect_publishers(adapters, messenger))
    application.services.metrics.watch_scheduler(scheduler.scheduler)
    server = BotServer(application, adapters, scheduler, lock)
    await server.start(host, port)
    freeze_startup_objects()
    log_event(
        _log, logging.INFO, "serving", platforms=",".join(a.name for a in adapters), port=port
    )
    signal_name = await stop.wait()
    log_event(_log, logging.INFO, "stopping", signal=signal_name)
    await server.stop()


def lock_scheduler(settings: Settings) -> SchedulerLock | None:
    """On SQLite, make sure this is the only scheduler on the file; PostgreSQL needs no lock."""
    path = sqlite_path(settings.database.url)
    if path is None:
        return None
    lock = SchedulerLock(path)
    try:
        lock.acquire()
    except SchedulerAlreadyRunning as refusal:
        from_environment = settings.database.url_key == "DATABASE_URL"
        raise ConfigError(
            settings.database.url_key,
            "the environment" if from_environment else settings.source,
            f"cannot be served twice: {refusal}",
        ) from None
    return lock


def build_scheduler(application: Application, publishers: Publishers) -> BotScheduler:
    """The served bot's scheduler: the planners and jobs the features registered, the
    dispatcher and the daily tidy-up."""
    services = application.services
    settings = services.settings
    grace = timedelta(hours=settings.scheduler.grace_hours)
    database = application.database
    registry = application.router.registry
    dispatcher = Dispatcher(
        database=database,
        publishers=publishers,
        clock=services.clock,
        messenger=services.messenger,
        zone=settings.timezone,
        policy=DispatchPolicy(
            grace=grace,
            claim_timeout=timedelta(seconds=settings.scheduler.lease_seconds),
            batch_size=settings.scheduler.batch_size,
        ),
        pacer=Pacer(overall_per_second=settings.scheduler.posts_per_second),
        funnel=services.funnel,
        metrics=services.metrics,
        descriptions=registry.descriptions,
    )

    return BotScheduler(
        dispatcher=dispatcher,
        planners=registry.planners,
        clock=services.clock,
        zone=settings.timezone,
        funnel=services.funnel,
        housekeeping=[
            *((job.name, job.run) for job in registry.jobs),
            *retention_jobs(database, settings.retention, registry.kept_posts),
        ],
        dispatch_every=timedelta(seconds=settings.scheduler.dispatch_every_seconds),
        plan_every=timedelta(minutes=settings.scheduler.plan_every_minutes),
    )
