"""The console saves the files replies carry to a folder and says where."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

from bot.app import Application
from bot.messages import Attachment, Person, Reply
from bot.platforms.console import ConsoleChat, FileShelf, render
from tests.support.sessions import add_session

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _saved(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.glob(pattern))


async def _chat(app: Application, lines: str, shelf: FileShelf, user: str = "kim") -> str:
    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch,
        Person("console", user),
        io.StringIO(lines),
        out,
        prompt=False,
        words_for=app.router.words_for,
        shelf=shelf,
    )
    await chat.run()
    return out.getvalue()


async def test_register_saves_the_calendar_file_and_says_where(
    app: Application, tmp_path: Path
) -> None:
    session_id = await add_session(app, title="Allyship basics")
    shown = await _chat(app, f"register {session_id}\nmy data\n", FileShelf(tmp_path))
    [ics] = _saved(tmp_path, "*.ics")
    assert f"saved {ics.name}" in shown and str(ics) in shown
    assert [str(e["summary"]) for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")] == [
        "Allyship basics"
    ]
    data = json.loads((tmp_path / "my-data.json").read_text())
    assert data  # the JSON copy of what is held
    assert "BEGIN:VCALENDAR" not in shown


async def test_a_report_chart_is_saved_as_a_png(app: Application, tmp_path: Path) -> None:
    await add_session(app)
    shown = await _chat(app, "report pride\n", FileShelf(tmp_path), user="alex")
    chart = tmp_path / "report-pride.png"
    assert chart.read_bytes().startswith(PNG_MAGIC)
    assert f"saved report-pride.png, {chart.stat().st_size:,} bytes: {chart}" in shown


def test_a_file_of_the_same_name_is_never_overwritten(tmp_path: Path) -> None:
    shelf = FileShelf(tmp_path)
    first = shelf.save(Attachment("a.csv", "text/csv", "x\n1\n"))
    second = shelf.save(Attachment("../a.csv", "text/csv", "x\n2\n"))
    assert first == tmp_path / "a.csv" and second == tmp_path / "a-2.csv"
    assert first.read_text() == "x\n1\n"


def test_a_reply_rendered_without_saving_still_names_its_files() -> None:
    reply = Reply(text="Chart.", attachments=(Attachment("c.png", "image/png", b"\x89PNG"),))
    assert "(attached: c.png, 4 bytes)" in render(reply).text


def test_allybot_chat_saves_files_in_the_folder_it_is_given(tmp_path: Path) -> None:
    files = tmp_path / "files"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}",
        "ALLYBOT_CONFIG": "",
        "ALLYBOT_FILES_DIR": str(files),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "alex"],
        input="report pride\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (files / "report-pride.png").read_bytes().startswith(PNG_MAGIC)
    assert str(files / "report-pride.png") in result.stdout
