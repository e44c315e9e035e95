"""`allybot chat` driven through a pipe, as scripts and newcomers use it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.app import Application
from bot.messages import Button, Field, Person, Reply, Section
from bot.platforms.console import ConsoleChat, render


def run_chat(tmp_path: Path, lines: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}",
        "ALLYBOT_CONFIG": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        input=lines,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


def test_chat_in_a_pipe_answers_each_line_from_the_demo_database(tmp_path: Path) -> None:
    result = run_chat(tmp_path, "help\nhelp networks\nnetworks\nnetwork pride\nnetwrks\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "`network <name>`" in out
    assert "Race Equality Network" in out and "Neurodiversity Network" in out
    assert "Creating LGBT+ inclusive spaces" in out
    assert "Did you mean `networks`?" in out
    assert "Traceback" not in out + result.stderr
    # No prompt noise when the input is not a terminal.
    assert "> " not in out.splitlines()[0]


def test_a_number_presses_the_button_it_labels(tmp_path: Path) -> None:
    result = run_chat(tmp_path, "help\n1\n1\n")
    assert result.returncode == 0, result.stderr
    # Button [1] on the help reply is "Networks", and [1] on its page "See the networks".
    assert "  [1] Networks\n" in result.stdout
    assert "== Help: Networks ==" in result.stdout
    assert "  [1] See the networks   [2] My networks   [3] All help" in result.stdout
    assert "== Staff networks ==" in result.stdout


def test_the_chosen_user_is_who_the_bot_talks_to(tmp_path: Path) -> None:
    result = run_chat(tmp_path, "help\n", "--user", "alex")
    assert result.returncode == 0, result.stderr
    assert "allybot help" in result.stdout


def test_render_shows_headings_fields_context_and_numbered_buttons() -> None:
    reply = Reply(
        text="plain",
        heading="Pride Network",
        sections=(Section(text="About", fields=(Field("Meets", "Monthly"),)),),
        buttons=(Button("Join", "join pride"), Button("Join as ally", "join pride as ally")),
        context="Only you can see this.",
    )
    rendered = render(reply)
    assert rendered.text.splitlines()[0] == "== Pride Network =="
    assert "  Meets: Monthly" in rendered.text
    assert "(Only you can see this.)" in rendered.text
    assert "[1] Join   [2] Join as ally" in rendered.text
    assert rendered.choices["2"].command == "join pride as ally"


async def test_console_chat_stops_on_quit_and_ignores_blank_lines(app: Application) -> None:
    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch,
        Person("console", "you"),
        io.StringIO("\n\nnetworks\nquit\nhelp\n"),
        out,
        prompt=False,
    )
    await chat.run()
    assert "Staff networks" in out.getvalue()
    assert "allybot help" not in out.getvalue()
