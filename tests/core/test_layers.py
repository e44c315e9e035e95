"""The features and the console chat run without APScheduler, which only `serve` needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Makes `import apscheduler` fail, so anything that needs it shows.
WITHOUT_APSCHEDULER = "import sys; sys.modules['apscheduler'] = None; "


def run_python(code: str, tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "Microsoft", "ALLYBOT_", "DATABASE_URL"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_importing_every_feature_loads_no_apscheduler(tmp_path: Path) -> None:
    result = run_python("import handlers, sys; assert 'apscheduler' not in sys.modules", tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_console_chat_runs_without_apscheduler(tmp_path: Path) -> None:
    result = run_python(
        WITHOUT_APSCHEDULER + "from bot.cli import main; sys.exit(main(['chat']))",
        tmp_path,
        stdin="help\nmy\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Your networks" in result.stdout
