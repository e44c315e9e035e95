"""The one aiohttp server every platform plugs its routes into, with `/healthz`, and the
routes features registered (`feature_route`)."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from bot.logs import log_event
from bot.metrics import CONTENT_TYPE, Metrics
from bot.registry import WebRequest, WebRoute
from storage.database import Database

_log = logging.getLogger("allybot.web")

RouteHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    handler: RouteHandler
    # The platform a route receives requests from: its acknowledgement time is measured.
    platform: str = ""


def feature_route(route: WebRoute) -> Route:
    """A feature's route as an aiohttp one: the feature sees only `WebRequest`/`WebResponse`."""

    async def handle(request: web.Request) -> web.Response:
        answer = await route.handler(
            WebRequest(
                path=dict(request.match_info),
                query=dict(request.query),
                headers={name.lower(): value for name, value in request.headers.items()},
            )
        )
        return web.Response(
            status=answer.status,
            body=answer.body,
            content_type=answer.content_type,
            charset=answer.charset,
            headers=dict(answer.headers),
        )

    return Route(route.method, route.path, handle)


def build_web_app(
    database: Database, routes: list[Route], metrics: Metrics | None = None
) -> web.Application:
    async def healthz(_request: web.Request) -> web.Response:
        if await database.ping():
            return web.json_response({"status": "ok", "database": "ok"})
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)

    middlewares = [] if metrics is None else [_timed(metrics, routes)]
    app = web.Application(client_max_size=1024 * 1024, middlewares=middlewares)
    app.router.add_get("/healthz", healthz)
    if metrics is not None:

        async def scrape(_request: web.Request) -> web.Response:
            return web.Response(body=await metrics.render(), headers={"Content-Type": CONTENT_TYPE})

        app.router.add_get("/metrics", scrape)
    for route in routes:
        app.router.add_route(route.method, route.path, route.handler)
    return app


def _timed(metrics: Metrics, routes: list[Route]) -> Callable[..., Awaitable[web.StreamResponse]]:
    """Note when each platform request arrived, and how long its response took."""
    platforms = {(route.method, route.path): route.platform for route in routes if route.platform}

    @web.middleware
    async def timed(request: web.Request, handler: RouteHandler) -> web.StreamResponse:
        platform = platforms.get((request.method, request.path))
        if platform is None:
            return await handler(request)
        started = time.perf_counter()
        metrics.mark_received()
        try:
            return await handler(request)
        finally:
            metrics.acknowledged(platform, time.perf_counter() - started)

    return timed


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


class StopSignals:
    """SIGTERM and SIGINT, caught from the moment this is made.

    Made before start-up begins, so a stop that arrives while the server is still starting
    is kept and acted on as soon as it is up, instead of killing the process half-started.
    """

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped: asyncio.Future[str] = self._loop.create_future()
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._loop.add_signal_handler(sig, self._stop, sig.name)

    def _stop(self, name: str) -> None:
        if not self._stopped.done():
            self._stopped.set_result(name)

    async def wait(self) -> str:
        """Block until a stop signal has arrived (perhaps already); return its name."""
        try:
            return await self._stopped
        finally:
            self.close()

    def close(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._loop.remove_signal_handler(sig)
