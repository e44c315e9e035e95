"""Wiring: build the database, services and router from settings; start and stop them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.funnel import ErrorFunnel
from bot.outbound import Messenger
from bot.pseudonyms import load_pseudonyms
from bot.router import Router
from bot.seeding import ensure_networks, load_demo, seed_demo
from bot.services import Services
from handlers import greetings, register_all, small_talk
from storage.database import Database


@dataclass(slots=True)
class Application:
    settings: Settings
    database: Database
    services: Services
    router: Router

    async def close(self) -> None:
        await self.database.dispose()


async def build_application(
    settings: Settings,
    *,
    messenger: Messenger,
    demo: bool,
    clock: Clock | None = None,
    database: Database | None = None,
    upgrade: bool = True,
) -> Application:
    """Open the database (migrating it when asked), load content and register every command.

    `demo` says whether this is a context where demo content is wanted when the
    configuration names no networks (`allybot chat`); `[content] demo` overrides it.
    """
    clock = clock or SystemClock()
    database = database or Database(
        settings.database.url, busy_timeout_seconds=settings.database.busy_timeout_seconds
    )
    try:
        # Replicas starting together take turns here: the first migrates and seeds, the
        # others wait on the lock and then find the work done.
        async with database.startup_lock():
            if upgrade:
                await database.upgrade()
            admins = set(settings.admins)
            use_demo = settings.demo_content if settings.demo_content is not None else demo
            if settings.networks:
                await ensure_networks(database, settings.networks, clock)
            elif use_demo:
                demo_content = load_demo()
                await seed_demo(database, demo_content, settings, clock)
                admins.update(demo_content.admins)
            pseudonyms = await load_pseudonyms(settings, database, clock)
    except BaseException:
        await database.dispose()
        raise
    services = Services(
        settings=settings,
        database=database,
        clock=clock,
        messenger=messenger,
        admins=frozenset(admins),
        funnel=ErrorFunnel(pseudonyms),
    )
    services.metrics.watch_database(database, clock.now)
    router = Router(services)
    register_all(router)
    # Before the knowledge base answers text that is no command: "hi" is not a question.
    greetings.register(router)
    small_talk.register(router)
    return Application(settings=settings, database=database, services=services, router=router)
