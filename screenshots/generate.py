"""The cards and blocks the bot sends for its main surfaces, as JSON for shoot.js.

Runs the real bot on the demo content (a throwaway SQLite file, a fixed clock) and the
real renderers: Teams' `render` (Adaptive Cards) and Slack's (Block Kit). Usage:
`python screenshots/generate.py screenshots/out/surfaces.json` (`make screenshots` runs it).
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app import Application, build_application
from bot.clock import FixedClock
from bot.config import Settings
from bot.forms import field_errors
from bot.messages import Conversation, Person, Reply, Request
from bot.platforms.console import ConsoleMessenger
from bot.platforms.slack.render import render as slack_render
from bot.platforms.teams.render import form_card
from bot.platforms.teams.render import render as teams_render
from storage.database import Database

# A Saturday in late November, as in the tests: sessions and awareness days are coming up.
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
LEAD = Person("console", "alex", "Alex")
COLLEAGUE = Person("console", "robin", "Robin")


@dataclass(frozen=True)
class Surface:
    name: str
    person: Person
    text: str


SURFACES = (
    Surface("help", COLLEAGUE, "help"),
    Surface("networks", COLLEAGUE, "networks"),
    Surface("network", COLLEAGUE, "network pride"),
    Surface("sessions", COLLEAGUE, "sessions"),
    Surface("session", COLLEAGUE, "session 2"),
    Surface("consent", COLLEAGUE, "join pride"),
    Surface("registered", COLLEAGUE, "register 2"),
    Surface("calendar", COLLEAGUE, "calendar"),
    Surface("topics", COLLEAGUE, "topics 1"),
    Surface("my", COLLEAGUE, "my"),
    Surface("create-session", LEAD, "create session"),
    Surface("announce", LEAD, "announce pride"),
)


async def say(app: Application, person: Person, text: str) -> list[Reply]:
    return await app.router.dispatch(Request(person, text, Conversation(f"D-{person.id}")))


async def prepare(app: Application) -> None:
    """A session with breakout topics, and a colleague with a dozen bookings."""
    await say(app, LEAD, "breakouts 1 rounds: 1")
    await say(app, LEAD, "host 1 Allyship at work: speaking up in meetings")
    await say(app, COLLEAGUE, "propose 1 Pronouns without the awkwardness")
    for day in range(12):
        await say(
            app,
            LEAD,
            f"create session pride | title: Allyship circle {day + 1} | "
            f"when: {day + 1} Jan 2027 12:30 | duration: 45m | where: Online | kind: social"
            " | confirm: yes",
        )
    for number in range(4, 16):
        await say(app, COLLEAGUE, f"register {number}")


def _slack(replies: list[Reply]) -> list[list[dict[str, Any]]]:
    return [message.blocks for reply in replies for message in slack_render(reply)]


def _teams(replies: list[Reply]) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    for reply in replies:
        for message in teams_render(reply):
            if message.card is not None:
                cards.append(message.card)
            else:
                # A plain-text message, shown as Teams shows it: one block of text.
                cards.append({"plain": message.text})
    return cards


async def surfaces() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'screens.db'}")
        await database.upgrade()
        app = await build_application(
            Settings(),
            messenger=ConsoleMessenger(COLLEAGUE, io.StringIO()),
            demo=True,
            clock=FixedClock(NOW),
            database=database,
            upgrade=False,
        )
        try:
            await prepare(app)
            shown: list[dict[str, Any]] = []
            for surface in SURFACES:
                replies = await say(app, surface.person, surface.text)
                shown.append(
                    {"name": surface.name, "teams": _teams(replies), "slack": _slack(replies)}
                )
                if surface.name == "session":
                    # The access-needs form, sent back with its one field left empty.
                    form = next(b.form for b in replies[0].all_buttons if b.form is not None)
                    shown.append(
                        {
                            "name": "form-error",
                            "teams": [form_card(form, field_errors(form, {}), {})],
                            "slack": [],
                        }
                    )
            return shown
        finally:
            await database.dispose()


def main() -> None:
    target = Path(sys.argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(asyncio.run(surfaces()), indent=1), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
