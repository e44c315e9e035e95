"""`allybot serve` as an operator runs it: it answers /healthz and stops cleanly on a signal."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CONFIG = """
[teams]
enabled = true
allow_unauthenticated = true
[server]
host = "127.0.0.1"
port = 0
"""


def spawn_serve(tmp_path: Path) -> subprocess.Popen[str]:
    """`allybot serve` on a new SQLite file, with Teams in local mode, its log on stderr."""
    (tmp_path / "config.toml").write_text(CONFIG)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "Microsoft", "ALLYBOT_", "DATABASE_URL"))
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'serve.db'}"
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_serve(tmp_path: Path) -> tuple[subprocess.Popen[str], int, list[str]]:
    process = spawn_serve(tmp_path)
    assert process.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        found = re.search(r"event=web_started .*port=(\d+)", line)
        if found:
            return process, int(found.group(1)), seen
    process.kill()
    pytest.fail("allybot serve did not start:\n" + "".join(seen))


@pytest.mark.parametrize("signal_to_send", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_healthz_and_stops_cleanly_on_a_signal(
    tmp_path: Path, signal_to_send: signal.Signals
) -> None:
    process, port, seen = start_serve(tmp_path)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200
        process.send_signal(signal_to_send)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    log = "".join(seen) + stderr
    assert process.returncode == 0, log
    assert f"event=stopping signal={signal_to_send.name}" in log
    assert "event=web_stopped" in log
    assert "Traceback" not in log
    # Unauthenticated Teams is allowed only explicitly, and said out loud at start.
    assert "level=warning" in log and "teams" in log.lower()


def test_a_stop_signal_during_start_up_is_kept_and_the_server_stops_cleanly(
    tmp_path: Path,
) -> None:
    """A SIGTERM while the database is still being migrated (a deploy that changes its mind,
    an orchestrator's quick restart) must not kill the process half-started."""
    process = spawn_serve(tmp_path)
    assert process.stderr is not None
    try:
        # A migration's line comes from inside start-up, before the server listens.
        first = ""
        while "Running upgrade" not in first:
            line = process.stderr.readline()
            assert line, first
            first += line
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    log = first + stderr
    assert process.returncode == 0, log
    assert "event=stopping signal=SIGTERM" in log
    assert "Traceback" not in log
