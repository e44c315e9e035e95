"""The web server: /healthz tells the truth about the database, and stopping is graceful."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web

from bot.web import Route, WebServer, build_web_app
from storage.database import Database


async def test_healthz_is_200_when_the_database_answers(database: Database) -> None:
    server = WebServer(build_web_app(database, []))
    port = await server.start("127.0.0.1", 0)
    try:
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{port}/healthz") as response,
        ):
            assert response.status == 200
            assert (await response.json())["database"] == "ok"
    finally:
        await server.stop()


async def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    # Nothing listens on port 1: the database is "down".
    database = Database("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    server = WebServer(build_web_app(database, []))
    port = await server.start("127.0.0.1", 0)
    try:
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{port}/healthz") as response,
        ):
            assert response.status == 503
            assert (await response.json())["database"] == "unreachable"
    finally:
        await server.stop()
        await database.dispose()


async def test_stopping_lets_in_flight_requests_finish_and_refuses_new_ones(
    database: Database,
) -> None:
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow(_request: web.Request) -> web.Response:
        started.set()
        await release.wait()
        return web.Response(text="finished")

    server = WebServer(build_web_app(database, [Route("GET", "/slow", slow)]), shutdown_timeout=5)
    port = await server.start("127.0.0.1", 0)
    async with aiohttp.ClientSession() as client:
        in_flight = asyncio.create_task(client.get(f"http://127.0.0.1:{port}/slow"))
        await asyncio.wait_for(started.wait(), 5)
        stopping = asyncio.create_task(server.stop())
        await asyncio.sleep(0)  # let stop() close the listener before the work is released
        release.set()
        response = await asyncio.wait_for(in_flight, 5)
        assert response.status == 200
        assert await response.text() == "finished"
        await asyncio.wait_for(stopping, 5)
        with pytest.raises(aiohttp.ClientConnectionError):
            await client.get(f"http://127.0.0.1:{port}/healthz")
