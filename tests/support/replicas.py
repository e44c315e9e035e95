"""Starting real `allybot` processes against PostgreSQL: a database of their own, and a clean
environment. No tests here; the `empty_postgres` fixture is in `tests/core/conftest.py`."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, on_postgres_server, plain_postgres_url

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="set ALLYBOT_TEST_POSTGRES_URL to start replicas on PostgreSQL"
)


def new_postgres_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards.

    A database, not a schema: processes take the URL from `DATABASE_URL`, and each test's
    advisory locks are then its own.
    """
    name = f"replicas_{uuid.uuid4().hex[:12]}"
    asyncio.run(on_postgres_server(f'CREATE DATABASE "{name}"'))
    base = plain_postgres_url(POSTGRES_URL).rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(on_postgres_server(f'DROP DATABASE "{name}" WITH (FORCE)'))


def process_environment(database_url: str) -> dict[str, str]:
    """This environment without the platform, allybot and database settings, on `database_url`."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "Microsoft", "ALLYBOT_", "DATABASE_URL"))
    }
    return {**clean, "DATABASE_URL": database_url}


SIGNING_SECRET = "not-a-real-secret"


def healthz(port: int) -> int:
    """The status `/healthz` of a replica on `port` answers (503 is an answer, not an error)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


@dataclass(slots=True)
class ServeProcess:
    """One `allybot serve` on Slack over HTTP, its stderr kept in a file."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    token: str
    port: int = 0

    def log(self) -> str:
        return self.log_path.read_text()

    async def healthz(self) -> int:
        return await asyncio.to_thread(healthz, self.port)

    async def serving(self, within: float = 60) -> None:
        """Wait until it listens and its `/healthz` says 200; fail with its log if it dies."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = re.search(r"event=web_started .*port=(\d+)", self.log())
            if found:
                self.port = int(found.group(1))
                assert await self.healthz() == 200, self.log()
                return
            if self.process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        self.process.kill()
        pytest.fail(f"{self.name} did not start:\n{self.log()}")

    async def stopped(self, within: float = 15) -> int:
        """SIGTERM, then its exit status; fail with its log if it does not stop in time."""
        self.process.send_signal(signal.SIGTERM)
        return await self.exited(within)

    async def exited(self, within: float) -> int:
        """Its exit status once it ends; fail with its log if it does not end in time."""
        try:
            return await asyncio.to_thread(self.process.wait, within)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail(f"{self.name} did not stop:\n{self.log()}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def start_serve(tmp_path: Path, database_url: str, api_url: str, name: str) -> ServeProcess:
    """`allybot serve` in `tmp_path` (its `config.toml`, if any), on Slack at `api_url`
    with a bot token of its own, so the fake Slack tells the replicas apart."""
    token = f"xoxb-{name}"
    environment = {
        **process_environment(database_url),
        "SLACK_BOT_TOKEN": token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
    }
    log_path = tmp_path / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    return ServeProcess(name, process, log_path, token)
