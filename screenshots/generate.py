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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import Application, build_application
from bot.clock import FixedClock
from bot.config import Settings
from bot.forms import field_errors
from bot.messages import Conversation, Form, Person, Reply, Request
from bot.platforms.console import ConsoleMessenger
from bot.platforms.slack.forms import FormOrigin, modal_view
from bot.platforms.slack.home import home_view
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


# A colleague's first minutes, then a lead's tasks, in the order people meet them.
SURFACES = (
    Surface("welcome", COLLEAGUE, "welcome"),
    Surface("hi", COLLEAGUE, "hi"),
    Surface("small-talk", COLLEAGUE, "are you a real person?"),
    Surface("crisis", COLLEAGUE, "i dont want to be here anymore"),
    Surface("declined", COLLEAGUE, "was it mark who sent the anonymous question"),
    Surface("help", COLLEAGUE, "help"),
    Surface("networks", COLLEAGUE, "networks"),
    Surface("network", COLLEAGUE, "network pride"),
    Surface("consent", COLLEAGUE, "join pride"),
    Surface("joined", COLLEAGUE, "agree"),
    Surface("sessions", COLLEAGUE, "sessions"),
    Surface("session", COLLEAGUE, "session 2"),
    Surface("registered", COLLEAGUE, "register 2"),
    Surface("calendar", COLLEAGUE, "calendar"),
    Surface("topics", COLLEAGUE, "topics 1"),
    Surface("my", COLLEAGUE, "my"),
    Surface("cancelled", COLLEAGUE, "cancel 16"),
    Surface("thanks", COLLEAGUE, "thanks"),
    Surface("forget-me", COLLEAGUE, "forget me"),
    Surface("lead-help", LEAD, "help"),
    Surface("lead", LEAD, "lead"),
    Surface("create-session", LEAD, "create session"),
    Surface(
        "create-session-typed",
        LEAD,
        "create session pride | title: Pronouns 101 | when: 3 Feb 2027 12:30 | duration: 1h"
        " | where: Online",
    ),
    Surface("edit-session", LEAD, "edit session 1"),
    Surface("announce", LEAD, "announce pride"),
    Surface("announcements", LEAD, "announcements pride"),
    Surface("lead-calendar", LEAD, "calendar"),
    Surface("attended", LEAD, "attended 4"),
)


async def say(app: Application, person: Person, text: str) -> list[Reply]:
    return await app.router.dispatch(Request(person, text, Conversation(f"D-{person.id}")))


async def prepare(app: Application, clock: FixedClock) -> None:
    """A session with breakout topics, a colleague with a dozen bookings and a question for
    the leads, and a session that has been held (for attendance and recordings)."""
    clock.set(NOW - timedelta(days=10))
    # Held on 20 November: the last session made, so its number follows the others (17).
    await say(
        app,
        LEAD,
        "create session pride | title: Pronouns at work | when: 20 Nov 2026 12:30"
        " | duration: 1h | where: Online | kind: webinar | confirm: yes",
    )
    await say(app, COLLEAGUE, "register 4")
    clock.set(NOW)
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
    for number in range(5, 17):
        await say(app, COLLEAGUE, f"register {number}")
    await say(app, COLLEAGUE, "ask leads pride Can allies come to the socials too?")
    await say(app, COLLEAGUE, "send question 1")


def _slack(replies: list[Reply]) -> list[list[dict[str, Any]]]:
    return [message.blocks for reply in replies for message in slack_render(reply)]


def _slack_modal(form: Form) -> list[list[dict[str, Any]]]:
    """A form as Slack shows it in a modal: its title, its inputs and its submit button."""
    view = modal_view(form, FormOrigin(channel_id="D-robin", response_url=""))
    title = {"type": "header", "text": view["title"]}
    submit = {"type": "actions", "elements": [{"type": "button", "text": view["submit"]}]}
    return [[title, *view["blocks"], submit]]


def _forms(replies: list[Reply]) -> list[Form]:
    return [button.form for reply in replies for button in reply.all_buttons if button.form]


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
        clock = FixedClock(NOW)
        app = await build_application(
            Settings(),
            messenger=ConsoleMessenger(COLLEAGUE, io.StringIO()),
            demo=True,
            clock=clock,
            database=database,
            upgrade=False,
        )
        try:
            await prepare(app, clock)
            shown: list[dict[str, Any]] = []
            # Slack's App Home (Teams has no such tab: its lead card is the `lead` surface).
            for name, person in (("home-colleague", COLLEAGUE), ("home-lead", LEAD)):
                view = await home_view(app, person)
                shown.append({"name": name, "teams": [], "slack": [view["blocks"]]})
            forms: dict[str, Form] = {}
            for surface in SURFACES:
                replies = await say(app, surface.person, surface.text)
                shown.append(
                    {"name": surface.name, "teams": _teams(replies), "slack": _slack(replies)}
                )
                for form in _forms(replies):
                    forms.setdefault(form.kind or form.id, form)
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
            # Every form any surface offers, on its own, as the person fills it in.
            for kind, form in sorted(forms.items()):
                teams, slack = [form_card(form)], _slack_modal(form)
                shown.append({"name": f"form-{kind}", "teams": teams, "slack": slack})
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
