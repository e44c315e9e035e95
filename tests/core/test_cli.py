"""The `allybot` command's verdicts on configuration and serving, as an operator sees them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def allybot(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "Microsoft", "ALLYBOT_", "DATABASE_URL"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


def test_check_config_reports_the_key_file_and_expectation_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[server]\nport = "eighty"\n')
    result = allybot(tmp_path, "check-config")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "config.toml" in lines[0] and "`server.port`" in lines[0] and "whole number" in lines[0]
    assert "Traceback" not in result.stderr


def test_check_config_passes_defaults_and_warns_about_unknown_keys(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('timezon = "Europe/London"\n')
    result = allybot(tmp_path, "check-config")
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stdout and "`timezon`" in result.stdout
    assert "OK" in result.stdout


def test_a_missing_config_file_stops_start_up_cleanly(tmp_path: Path) -> None:
    result = allybot(tmp_path, "chat", "--config", "missing.toml")
    assert result.returncode == 1
    assert "missing.toml" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_a_platform_says_so_and_exits_non_zero(tmp_path: Path) -> None:
    result = allybot(tmp_path, "serve")
    assert result.returncode == 1
    assert "no platform is configured" in result.stderr
    assert "allybot chat" in result.stderr


def test_serve_teams_without_app_id_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[teams]\nenabled = true\n")
    result = allybot(tmp_path, "serve")
    assert result.returncode == 1
    assert "teams.app_id" in result.stderr and "allow_unauthenticated" in result.stderr


def test_db_upgrade_reports_the_revision(tmp_path: Path) -> None:
    result = allybot(tmp_path, "db", "upgrade", env={"DATABASE_URL": "sqlite:///up.db"})
    assert result.returncode == 0, result.stderr
    assert "Database is at revision" in result.stdout
    assert (tmp_path / "up.db").exists()
