"""Logs name people only by a keyed pseudonym, and anonymous questions by nobody at all."""

from __future__ import annotations

import logging
import shlex
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import Application, build_application
from bot.clock import FixedClock
from bot.config import PrivacySettings, Settings
from bot.config_loading import load_settings
from bot.errors import ConfigError
from bot.logs import KeyValueFormatter
from bot.messages import Reply
from bot.outbound import Notice
from bot.pseudonyms import Pseudonyms
from storage.database import Database
from tests.conftest import say, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.pressing import press_one

KEY_A = "a" * 32
KEY_B = "b" * 32


def lines_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The bot's own log lines (what the SQL drivers log at DEBUG is kept out apart)."""
    return [
        KeyValueFormatter().format(record)
        for record in caplog.records
        if record.name.startswith("allybot")
    ]


def handled(lines: list[str]) -> list[str]:
    return [line for line in lines if "event=request_handled" in line]


def field(line: str, name: str) -> str | None:
    for part in shlex.split(line.splitlines()[0]):
        key, _, value = part.partition("=")
        if key == name:
            return value
    return None


async def other_app(
    database: Database, clock: FixedClock, settings: Settings | None = None
) -> Application:
    """Another process on the same database (a restart, a replica)."""
    return await build_application(
        settings or Settings(),
        messenger=RecordingMessenger(),
        demo=True,
        clock=clock,
        database=database,
        upgrade=False,
    )


async def test_a_person_is_logged_by_a_stable_pseudonym_never_by_their_key(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await say(app, "join pride", user="kim")
        await say(app, "my", user="kim")
    lines = lines_of(caplog)
    assert not any("kim" in line.lower() for line in lines)
    join, my = handled(lines)
    assert field(join, "command") == "join"
    assert field(join, "person") == field(my, "person")
    assert field(join, "person") == app.services.pseudonyms.of("console:kim")
    assert len(field(join, "person") or "") == 12


async def test_the_pseudonym_is_the_same_after_a_restart_and_on_another_replica(
    app: Application, database: Database, clock: FixedClock
) -> None:
    # No key configured: the first start made one and keeps it in the database.
    again = await other_app(database, clock)
    assert again.services.pseudonyms.of("slack:U0KIM") == app.services.pseudonyms.of("slack:U0KIM")


async def test_another_deployment_key_gives_another_pseudonym(
    app: Application, database: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    first = await other_app(database, clock, replace(Settings(), privacy=PrivacySettings(KEY_A)))
    second = await other_app(database, clock, replace(Settings(), privacy=PrivacySettings(KEY_B)))
    with caplog.at_level(logging.INFO):
        await say(first, "networks", user="kim")
        await say(second, "networks", user="kim")
    one, other = (field(line, "person") for line in handled(lines_of(caplog)))
    assert one and other and one != other
    assert one == Pseudonyms(KEY_A.encode()).of("console:kim")
    # The configured key, not the one kept in the database.
    assert one != app.services.pseudonyms.of("console:kim")


async def test_an_anonymous_question_is_logged_with_no_person_at_all(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        draft = await say_one(app, "ask leads pride is there a trans support group?", user="kim")
        await press_one(app, draft.buttons[0], user="kim")
        await say_one(app, "ask leads pride another one", user="kim")
        await say_one(app, "discard question 2", user="kim")
    lines = lines_of(caplog)
    commands = [field(line, "command") for line in handled(lines)]
    assert commands == ["ask leads", "send question", "ask leads", "discard question"]
    assert not any("person=" in line for line in lines)
    assert not any(app.services.pseudonyms.of("console:kim") in line for line in lines)
    assert not any("kim" in line.lower() for line in lines)


class Unreachable(RecordingMessenger):
    async def send_private(self, notice: Notice) -> None:
        raise ConnectionError("the platform is down")


async def test_an_undeliverable_notice_is_logged_by_its_recipient_pseudonym(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    app.services.messenger = Unreachable()
    with caplog.at_level(logging.INFO):
        await app.services.deliver([Notice("slack:U0LEE", Reply(text="Your place is confirmed."))])
    [line] = [line.splitlines()[0] for line in lines_of(caplog)]
    assert "U0LEE" not in line
    assert field(line, "recipient") == app.services.pseudonyms.of("slack:U0LEE")


def test_the_key_comes_from_the_environment_and_a_short_one_is_refused(tmp_path: Path) -> None:
    environ = {"ALLYBOT_LOG_PSEUDONYM_KEY": KEY_B}
    assert load_settings(None, environ).privacy.log_pseudonym_key == KEY_B
    config = tmp_path / "config.toml"
    config.write_text('[privacy]\nlog_pseudonym_key = "short"\n')
    with pytest.raises(ConfigError) as refused:
        load_settings(config, {})
    assert refused.value.key == "privacy.log_pseudonym_key"
    assert "short" not in str(refused.value)
