"""Teams messages over HTTP: allybot's Teams endpoint next to a bare botbuilder echo bot.

Each runs in a process of its own behind the same aiohttp server (allybot's `BotServer`
with `[teams] allow_unauthenticated = true`, SQLite in a temporary directory and the demo
content; a bare `CloudAdapter` whose ActivityHandler echoes every message), so that the
resident memory of each is its own. Both answer to the fake Bot Framework connector of
tests/fakes/teams_connector.py, here in the driving process, given as the activities'
serviceUrl. The driver posts personal-chat `help` messages from 40 people over loopback,
at concurrency 1 and 10.

A turn is done when its reply reached the connector, and each concurrent worker starts
its next turn only then: the bare bot sends its echo inside the turn, before its HTTP
answer, while allybot answers HTTP at once and replies proactively after. turns/s and
the answer times (request sent to reply received) are measured that way for both; the
HTTP acknowledgement times are printed as well.
The machine is shared and noisy: compare the ratios from one run, not absolute times.

    python bench/bench_teams.py [--turns 300]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.teams_connector import FakeConnector, personal_message  # noqa: E402

CONCURRENCIES = (1, 10)
PEOPLE = 40
TARGETS = ("bare botbuilder", "allybot")


@dataclass(slots=True)
class Figures:
    per_second: float
    p50_ms: float
    p99_ms: float
    ack_p50_ms: float
    ack_p99_ms: float


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# -- the processes ---------------------------------------------------------------------


@dataclass
class AnsweringConnector(FakeConnector):
    """The fake connector, telling the load when each conversation's reply arrived."""

    waiters: dict[str, deque[asyncio.Future[float]]] = field(
        default_factory=lambda: defaultdict(deque)
    )
    replies: int = 0

    def expect(self, conversation_id: str) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[conversation_id].append(future)
        return future

    async def _activity(self, request: web.Request) -> web.Response:
        response = await super()._activity(request)
        arrived = time.perf_counter()
        self.replies += 1
        # Only the times are needed; the bodies would only grow this process.
        self.calls.clear()
        waiting = self.waiters.get(request.match_info["conversation"])
        if waiting:
            waiting.popleft().set_result(arrived)
        return response


async def serve_bare(folder: str) -> None:
    from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
    from botbuilder.integration.aiohttp import (
        CloudAdapter,
        ConfigurationBotFrameworkAuthentication,
    )

    from bot.web import Route, WebServer, build_web_app
    from storage.database import Database

    class Configuration:
        APP_ID = ""
        APP_PASSWORD = ""
        APP_TENANTID = ""
        APP_TYPE = "MultiTenant"

    class Echo(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(MessageFactory.text(turn_context.activity.text))

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Configuration()))
    bot = Echo()

    async def handle(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response or web.Response(status=201)

    database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bare.db'}")
    server = WebServer(build_web_app(database, [Route("POST", "/api/messages", handle)]))
    print(await server.start("127.0.0.1", 0), flush=True)
    await asyncio.Event().wait()


async def serve_allybot(folder: str) -> None:
    from bot.app import build_application
    from bot.config import DatabaseSettings, Settings, TeamsSettings
    from bot.platforms.teams import build_adapter
    from bot.serve import BotServer, PlatformMessenger, freeze_startup_objects

    settings = Settings(
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{Path(folder) / 'allybot.db'}"),
        teams=TeamsSettings(enabled=True, allow_unauthenticated=True),
    )
    messenger = PlatformMessenger()
    application = await build_application(settings, messenger=messenger, demo=True)
    adapter = build_adapter(settings, application)
    messenger.register("teams", adapter.messenger())
    server = BotServer(application, [adapter])
    port = await server.start("127.0.0.1", 0)
    freeze_startup_objects()  # as `allybot serve` does once it is listening
    print(port, flush=True)
    await asyncio.Event().wait()


class Child:
    def __init__(self, *arguments: str) -> None:
        self.arguments = arguments
        self.process: asyncio.subprocess.Process | None = None
        self.port = 0

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            *self.arguments,
            stdout=asyncio.subprocess.PIPE,
            cwd=str(ROOT),
        )
        assert self.process.stdout is not None
        self.port = int((await self.process.stdout.readline()).decode())

    def memory_mb(self) -> tuple[float, float]:
        """(resident now, highest resident) in MB, from /proc."""
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
        fields = dict(line.split(":", 1) for line in status if ":" in line)
        return (
            int(fields["VmRSS"].split()[0]) / 1024,
            int(fields["VmHWM"].split()[0]) / 1024,
        )

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()


# -- the load ----------------------------------------------------------------------------


class Load:
    def __init__(self, url: str, service_url: str, name: str) -> None:
        self.url = url
        self.service_url = service_url
        self.name = name
        self.sequence = itertools.count()

    async def run(
        self,
        http: aiohttp.ClientSession,
        connector: AnsweringConnector,
        count: int,
        concurrency: int,
    ) -> Figures:
        acks: list[float] = []
        answers: list[float] = []
        remaining = iter(range(count))
        replies_before = connector.replies

        async def worker() -> None:
            for _ in remaining:
                n = next(self.sequence)
                person = f"29:{self.name.replace(' ', '-')}-{n % PEOPLE}"
                activity: dict[str, Any] = personal_message(self.service_url, "help", user=person)
                # Unique per turn, as Teams' are, so deduplication never skips one.
                activity["id"] = f"bench-{self.name}-{n}"
                answered = connector.expect(activity["conversation"]["id"])
                started = time.perf_counter()
                async with http.post(self.url, json=activity) as response:
                    await response.read()
                    if response.status not in (200, 201):
                        raise RuntimeError(f"{self.name}: status {response.status}")
                acks.append(time.perf_counter() - started)
                # A person waits for the answer, not the acknowledgement: this worker's
                # next turn starts once it has arrived.
                answers.append(await asyncio.wait_for(answered, 60) - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        await asyncio.sleep(0.2)  # time for a second, unexpected, reply to show up
        if connector.replies - replies_before != count:
            raise RuntimeError(f"{self.name}: {connector.replies - replies_before} replies")
        return Figures(
            per_second=count / elapsed,
            p50_ms=statistics.median(answers) * 1000,
            p99_ms=_percentile(answers, 0.99) * 1000,
            ack_p50_ms=statistics.median(acks) * 1000,
            ack_p99_ms=_percentile(acks, 0.99) * 1000,
        )


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        connector = AnsweringConnector()
        await connector.start()
        servers = {"bare botbuilder": Child("--serve", "bare", folder)}
        servers["allybot"] = Child("--serve", "allybot", folder)
        try:
            for child in servers.values():
                await child.start()
            results = await _measure(connector, servers, count)
            memory = {name: child.memory_mb() for name, child in servers.items()}
        finally:
            for child in servers.values():
                await child.stop()
            await connector.stop()

    print(f"{count} personal `help` messages per run, loopback, one process per bot")
    print(
        f"{'target':<16} {'conc':>4} {'turns/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'ack p50':>8} {'ack p99':>8}"
    )
    for (name, concurrency), figures in results.items():
        print(
            f"{name:<16} {concurrency:>4} {figures.per_second:>8.1f} {figures.p50_ms:>8.1f} "
            f"{figures.p99_ms:>8.1f} {figures.ack_p50_ms:>8.1f} {figures.ack_p99_ms:>8.1f}"
        )
    for concurrency in CONCURRENCIES:
        ours, bare = results[("allybot", concurrency)], results[("bare botbuilder", concurrency)]
        print(
            f"concurrency {concurrency}: turns/s ratio "
            f"{ours.per_second / bare.per_second:.2f} (target >= 1.0), "
            f"p50 ratio {ours.p50_ms / bare.p50_ms:.2f}, "
            f"p99 ratio {ours.p99_ms / bare.p99_ms:.2f} (target <= 1.5)"
        )
    for name, (now, peak) in memory.items():
        target = " (target < 120)" if name == "allybot" else ""
        print(f"resident memory, {name}: {now:.0f} MB, at most {peak:.0f} MB{target}")


async def _measure(
    connector: AnsweringConnector, servers: dict[str, Child], count: int
) -> dict[tuple[str, int], Figures]:
    service_url = f"http://127.0.0.1:{connector.port}/"
    loads = {
        name: Load(f"http://127.0.0.1:{child.port}/api/messages", service_url, name)
        for name, child in servers.items()
    }
    results: dict[tuple[str, int], Figures] = {}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as http:
        for load in loads.values():
            # Warm up: connections, caches, and one reference stored for each person.
            await load.run(http, connector, PEOPLE, 5)
        for concurrency in CONCURRENCIES:
            for name, load in loads.items():
                results[(name, concurrency)] = await load.run(http, connector, count, concurrency)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--serve", nargs="+", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        role, *rest = arguments.serve
        serving = {"bare": serve_bare, "allybot": serve_allybot}
        asyncio.run(serving[role](*rest))
    else:
        asyncio.run(main(arguments.turns))
