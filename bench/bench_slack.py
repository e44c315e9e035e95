"""Signed `/ally` slash commands over HTTP: allybot's Slack adapter next to a bare Bolt app.

Both run in this process, each behind the same aiohttp server (`BotServer` for allybot,
with SQLite in a temporary directory and the demo content; a bare `AsyncApp` whose
`/ally` listener only acknowledges), talking to a local fake Slack Web API. Requests
go over loopback only, at concurrency 1 and 50, and the figures are requests per
second and p50/p99 time to acknowledgement, with allybot's ratios to the bare app, and
how many commands a second were answered (the reply posted to the response_url), which
for allybot includes the work done after acknowledging.
The machine is shared and noisy: compare the ratios from one run, not absolute times.
Each target runs twice at each concurrency, first once each, and the better run counts.
Answers are counted where Slack would receive them (the fake's response_url), so the bare
app, which only acknowledges, answers none.
The bare app keeps Bolt's default (`process_before_response=False`: it polls every 10 ms
for `ack()`); allybot acknowledges as its listener returns, so at concurrency 1 its ratio
is far above 1 and says only that the poll is gone; at 50 both are bound by the CPU.

On SQLite every write takes the file's one lock in turn, so answers are serialised; with
`--postgres URL` (a server you may create and drop a database on) the same run uses a new
PostgreSQL database instead, as replicas do.

    python bench/bench_slack.py [--requests 500] [--postgres postgresql://postgres@127.0.0.1/x]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import asyncpg
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_application  # noqa: E402
from bot.config import DatabaseSettings, Settings, SlackSettings  # noqa: E402
from bot.platforms.slack import build_adapter  # noqa: E402
from bot.platforms.slack.app import SlackAdapter  # noqa: E402
from bot.platforms.slack.sender import build_client  # noqa: E402
from bot.serve import BotServer, PlatformMessenger, freeze_startup_objects  # noqa: E402
from bot.web import Route, WebServer, build_web_app  # noqa: E402
from tests.fakes.slack_api import FakeSlackApi, signed_headers  # noqa: E402

SECRET = "bench-signing-secret"
CONCURRENCIES = (1, 50)
# Runs per target and concurrency, the best kept.
ROUNDS = 2


@dataclass(slots=True)
class Figures:
    per_second: float
    p50_ms: float
    p99_ms: float
    # Until the last reply reached (fake) Slack: the work done after acknowledging.
    answered_per_second: float = 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Load:
    def __init__(self, url: str, response_url: str) -> None:
        self.url = url
        self.response_url = response_url
        self.sequence = 0

    def _body(self) -> str:
        self.sequence += 1
        return urlencode(
            {
                "team_id": "T0001",
                "channel_id": "D100",
                "channel_name": "directmessage",
                "user_id": f"U{self.sequence % 40}",
                "user_name": "bench",
                "command": "/ally",
                "text": "help",
                "response_url": self.response_url,
                # Unique per request, as Slack's are, so deduplication never skips one.
                "trigger_id": f"trigger.{self.sequence}",
                "api_app_id": "A0001",
            }
        )

    async def run(self, http: aiohttp.ClientSession, count: int, concurrency: int) -> Figures:
        timings: list[float] = []
        remaining = iter(range(count))

        async def worker() -> None:
            for _ in remaining:
                body = self._body()
                headers = signed_headers(
                    SECRET, body, content_type="application/x-www-form-urlencoded"
                )
                started = time.perf_counter()
                async with http.post(self.url, data=body.encode(), headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"status {response.status}")
                timings.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        return Figures(
            per_second=count / elapsed,
            p50_ms=statistics.median(timings) * 1000,
            p99_ms=_percentile(timings, 0.99) * 1000,
        )


async def _bare_server(api: RemoteSlackApi, database_url: str) -> tuple[WebServer, int]:
    from storage.database import Database

    bare = AsyncApp(client=build_client("xoxb-bench", api.api_url), signing_secret=SECRET)

    @bare.command("/ally")
    async def acknowledge(ack: AsyncAck) -> None:
        await ack()

    async def handle(request: aiohttp.web.Request) -> aiohttp.web.Response:
        return await to_aiohttp_response(await bare.async_dispatch(await to_bolt_request(request)))

    server = WebServer(
        build_web_app(Database(database_url), [Route("POST", "/slack/events", handle)])
    )
    return server, await server.start("127.0.0.1", 0)


class RemoteSlackApi:
    """The fake Slack Web API in a child process: Slack's side of the work is not ours,
    so it must not share this process's event loop with the servers being measured."""

    def __init__(self) -> None:
        self.port = 0
        self._process: asyncio.subprocess.Process | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/response/bench"

    async def start(self) -> None:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--serve-fake-api",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=str(ROOT),
        )
        assert self._process.stdout is not None
        self.port = int((await self._process.stdout.readline()).decode())

    async def answers(self) -> int:
        """How many answers the fake's response_url has taken so far."""
        assert self._process is not None
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(b"?\n")
        await self._process.stdin.drain()
        return int((await self._process.stdout.readline()).decode())

    async def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            await self._process.wait()


async def serve_fake_api() -> None:
    api = FakeSlackApi()
    await api.start()
    print(api.port, flush=True)
    # Each line on stdin asks how many answers reached the response_url so far.
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while await reader.readline():
        print(len(api.of("response_url")), flush=True)


@asynccontextmanager
async def _database(postgres: str) -> AsyncIterator[str]:
    """The database URL of one run: an SQLite file in a temporary folder, or a new
    PostgreSQL database dropped afterwards."""
    if not postgres:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        return
    plain = postgres.replace("postgresql+asyncpg://", "postgresql://")
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(plain)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield f"postgresql+asyncpg://{plain.removeprefix('postgresql://').rsplit('/', 1)[0]}/{name}"
    finally:
        admin = await asyncpg.connect(plain)
        try:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def main(count: int, postgres: str) -> None:
    api = RemoteSlackApi()
    await api.start()
    try:
        async with _database(postgres) as database_url:
            results = await _measure(api, count, database_url)
    finally:
        await api.stop()

    where = "PostgreSQL" if postgres else "SQLite"
    print(f"{count} signed /ally commands per run, loopback, one process, {where}")
    print(f"{'target':<10} {'conc':>4} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'answered/s':>11}")
    for (name, concurrency), figures in results.items():
        print(
            f"{name:<10} {concurrency:>4} {figures.per_second:>9.1f} "
            f"{figures.p50_ms:>8.1f} {figures.p99_ms:>8.1f} {figures.answered_per_second:>11.1f}"
        )
    for concurrency in CONCURRENCIES:
        ours, bare_figures = results[("allybot", concurrency)], results[("bare Bolt", concurrency)]
        print(
            f"concurrency {concurrency}: throughput ratio "
            f"{ours.per_second / bare_figures.per_second:.2f} (target >= 0.8), "
            f"p50 ratio {ours.p50_ms / bare_figures.p50_ms:.2f} (target <= 1.2), "
            f"p99 ratio {ours.p99_ms / bare_figures.p99_ms:.2f} (target <= 1.5)"
        )
    answered = results[("allybot", CONCURRENCIES[-1])].answered_per_second
    print(f"answered at concurrency {CONCURRENCIES[-1]}: {answered:.0f} commands/s (target >= 250)")
    print(
        f"max resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


async def _measure(
    api: RemoteSlackApi, count: int, database_url: str
) -> dict[tuple[str, int], Figures]:
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        slack=SlackSettings(bot_token="xoxb-bench", signing_secret=SECRET, api_url=api.api_url),
    )
    messenger = PlatformMessenger()
    application = await build_application(settings, messenger=messenger, demo=True)
    adapter = build_adapter(settings, application)
    messenger.register("slack", adapter.messenger())
    allybot = BotServer(application, [adapter])
    allybot_port = await allybot.start("127.0.0.1", 0)
    bare, bare_port = await _bare_server(api, database_url)
    freeze_startup_objects()  # as `allybot serve` does once it is listening
    targets = {
        "bare Bolt": Load(f"http://127.0.0.1:{bare_port}/slack/events", api.response_url()),
        "allybot": Load(f"http://127.0.0.1:{allybot_port}/slack/events", api.response_url()),
    }
    results: dict[tuple[str, int], Figures] = {}
    try:
        connector = aiohttp.TCPConnector(limit=100)
        async with aiohttp.ClientSession(connector=connector) as http:
            for load in targets.values():
                # Warm up: auth.test, caches, and as many connections as the busiest run.
                await load.run(http, 2 * max(CONCURRENCIES), max(CONCURRENCIES))
            await adapter.drain()
            for concurrency in CONCURRENCIES:
                # Each target goes first once: on a shared machine the load drifts, and
                # whichever ran in the calmer moment would otherwise look better.
                for round_ in range(ROUNDS):
                    order = list(targets.items())
                    for name, load in order if round_ % 2 == 0 else reversed(order):
                        figures = await _one_run(api, adapter, http, load, count, concurrency)
                        best = results.get((name, concurrency))
                        if best is None or figures.per_second > best.per_second:
                            results[(name, concurrency)] = figures
    finally:
        await bare.stop()
        await allybot.stop()
    return results


async def _one_run(
    api: RemoteSlackApi,
    adapter: SlackAdapter,
    http: aiohttp.ClientSession,
    load: Load,
    count: int,
    concurrency: int,
) -> Figures:
    before = await api.answers()
    started = time.perf_counter()
    figures = await load.run(http, count, concurrency)
    await adapter.drain()
    elapsed = time.perf_counter() - started
    # Counted where Slack receives them: the bare app answers nothing.
    answered = await api.answers() - before
    figures.answered_per_second = answered / elapsed
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--postgres", default="", help="a PostgreSQL server URL to run on")
    parser.add_argument("--serve-fake-api", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve_fake_api:
        asyncio.run(serve_fake_api())
    else:
        asyncio.run(main(arguments.requests, arguments.postgres))
