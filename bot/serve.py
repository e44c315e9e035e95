"""`allybot serve`: every configured platform on one aiohttp server, stopped gracefully."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.app import Application, build_application
from bot.config import Settings
from bot.errors import ConfigError
from bot.logs import log_event
from bot.outbound import ChannelInvite, InviteResult, Messenger, Notice
from bot.web import Route, WebServer, build_web_app, wait_for_stop_signal

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


class BotServer:
    def __init__(self, application: Application, adapters: list[PlatformAdapter]) -> None:
        self.application = application
        self.adapters = adapters
        routes = [route for adapter in adapters for route in adapter.routes()]
        self.web = WebServer(
            build_web_app(application.database, routes),
            shutdown_timeout=application.settings.server.shutdown_timeout_seconds,
        )

    async def start(self, host: str, port: int) -> int:
        for adapter in self.adapters:
            await adapter.start()
        return await self.web.start(host, port)

    async def stop(self) -> None:
        # The listener closes first and in-flight requests finish; only then do the
        # platform clients and the database go away underneath them.
        await self.web.stop()
        for adapter in reversed(self.adapters):
            await adapter.stop()
        await self.application.close()


async def run_server(settings: Settings, host: str, port: int) -> None:
    messenger = PlatformMessenger()
    application = await build_application(settings, messenger=messenger, demo=False)
    try:
        adapters = build_adapters(settings, application)
    except BaseException:
        await application.close()
        raise
    for adapter in adapters:
        messenger.register(adapter.name, adapter.messenger())
    server = BotServer(application, adapters)
    await server.start(host, port)
    log_event(
        _log, logging.INFO, "serving", platforms=",".join(a.name for a in adapters), port=port
    )
    signal_name = await wait_for_stop_signal()
    log_event(_log, logging.INFO, "stopping", signal=signal_name)
    await server.stop()
