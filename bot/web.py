"""The one aiohttp server every platform plugs its routes into, with `/healthz`."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from bot.logs import log_event
from storage.database import Database

_log = logging.getLogger("allybot.web")

RouteHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    handler: RouteHandler


def build_web_app(database: Database, routes: list[Route]) -> web.Application:
    async def healthz(_request: web.Request) -> web.Response:
        if await database.ping():
            return web.json_response({"status": "ok", "database": "ok"})
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/healthz", healthz)
    for route in routes:
        app.router.add_route(route.method, route.path, route.handler)
    return app


class WebServer:
    """Starts on a host and port (0 picks a free one) and stops gracefully.

    Stopping closes the listening socket first, then lets requests already being
    handled finish (up to `shutdown_timeout` seconds) before the process exits.
    """

    def __init__(self, app: web.Application, shutdown_timeout: float = 20.0) -> None:
        self._runner = web.AppRunner(app, shutdown_timeout=shutdown_timeout, access_log=None)
        self.port: int | None = None

    async def start(self, host: str, port: int) -> int:
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        log_event(_log, logging.INFO, "web_started", host=host, port=self.port)
        return self.port

    async def stop(self) -> None:
        await self._runner.cleanup()
        log_event(_log, logging.INFO, "web_stopped")


async def wait_for_stop_signal() -> str:
    """Block until SIGTERM or SIGINT arrives; return its name."""
    loop = asyncio.get_running_loop()
    stopped: asyncio.Future[str] = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(
            sig, lambda name=sig.name: stopped.done() or stopped.set_result(name)
        )
    try:
        return await stopped
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
