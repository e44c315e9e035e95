"""Processes started together on one new database: each comes up, and the work is done once.

Real processes, as an operator starts them: two `allybot db upgrade` at once, and two
`allybot serve` at once on a PostgreSQL database nobody has migrated, with networks
configured. Each of those tests gets a database of its own, so it is truly empty and its
advisory locks are its own. And two `allybot chat` at once on a new SQLite file.
"""

from __future__ import annotations

import asyncio
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import asyncpg
import pytest

from bot.seeding import load_demo
from tests.support.replicas import needs_postgres, process_environment

NETWORK_SLUGS = [f"network-{number:02d}" for number in range(20)]
NETWORKS = "".join(
    f'[[networks]]\nslug = "{slug}"\nname = "Network {slug}"\nleads = ["console:alex"]\n\n'
    for slug in NETWORK_SLUGS
)
SERVE_CONFIG = f"""
[teams]
enabled = true
allow_unauthenticated = true
[server]
host = "127.0.0.1"
port = 0

{NETWORKS}"""


def _start(tmp_path: Path, database_url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=process_environment(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_serving(process: subprocess.Popen[str]) -> list[str]:
    """The replica's log up to when it answers /healthz with 200."""
    assert process.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        found = re.search(r"event=web_started .*port=(\d+)", line)
        if found:
            url = f"http://127.0.0.1:{found.group(1)}/healthz"
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
            return seen
    process.kill()
    output, rest = process.communicate()
    pytest.fail("a replica did not start:\n" + "".join(seen) + rest + output)


async def _networks(database_url: str) -> list[str]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch("SELECT slug FROM networks ORDER BY slug")
    finally:
        await connection.close()
    return [row["slug"] for row in rows]


@needs_postgres
def test_two_db_upgrades_started_together_both_succeed(tmp_path: Path, empty_postgres: str) -> None:
    processes = [_start(tmp_path, empty_postgres, "db", "upgrade") for _ in range(2)]
    results = [process.communicate(timeout=90) for process in processes]
    for process, (stdout, stderr) in zip(processes, results, strict=True):
        assert process.returncode == 0, stdout + stderr
        assert "Traceback" not in stderr, stderr
        assert "Database is at revision" in stdout
    revisions = {stdout.strip().splitlines()[-1] for stdout, _ in results}
    assert len(revisions) == 1, revisions


@needs_postgres
@pytest.mark.parametrize("migrated_first", [False, True], ids=["empty", "after-db-upgrade"])
def test_two_replicas_started_together_both_serve_with_one_set_of_networks(
    tmp_path: Path, empty_postgres: str, migrated_first: bool
) -> None:
    (tmp_path / "config.toml").write_text(SERVE_CONFIG)
    if migrated_first:
        # The release step of docs/deploy.md; the replicas then race only on seeding.
        upgrade = _start(tmp_path, empty_postgres, "db", "upgrade")
        output, errors = upgrade.communicate(timeout=90)
        assert upgrade.returncode == 0, output + errors
    processes = [_start(tmp_path, empty_postgres, "serve") for _ in range(2)]
    logs: list[str] = []
    try:
        started = [_wait_until_serving(process) for process in processes]
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process, seen in zip(processes, started, strict=True):
            _, rest = process.communicate(timeout=60)
            logs.append("".join(seen) + rest)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    for process, log in zip(processes, logs, strict=True):
        assert process.returncode == 0, log
        assert "Traceback" not in log, log
        assert "level=error" not in log, log
    assert asyncio.run(_networks(empty_postgres)) == NETWORK_SLUGS


def test_two_console_chats_started_together_on_a_new_file_share_one_demo(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"],
            cwd=tmp_path,
            env=process_environment(url),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [process.communicate("networks\n", timeout=90) for process in processes]
    for process, (stdout, stderr) in zip(processes, results, strict=True):
        assert process.returncode == 0, stdout + stderr
        assert "Traceback" not in stderr, stderr
        assert "Pride" in stdout, stdout
    with sqlite3.connect(tmp_path / "chat.db") as connection:
        networks = connection.execute("SELECT count(*) FROM networks").fetchone()[0]
        sessions = connection.execute("SELECT count(*) FROM network_sessions").fetchone()[0]
    demo = load_demo()
    assert (networks, sessions) == (len(demo.networks), len(demo.sessions))
