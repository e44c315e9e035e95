"""Shared fixtures. Every test that takes `database` runs on SQLite, and on PostgreSQL
too when ALLYBOT_TEST_POSTGRES_URL is set (CI sets it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from bot.app import Application, build_application
from bot.clock import FixedClock
from bot.config import Settings
from bot.config_loading import normalise_database_url
from bot.messages import Conversation, Person, Reply, Request
from storage.database import Database
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.teams_connector import FakeConnector
from tests.support.adaptive_cards import assert_valid_cards, checkable

POSTGRES_URL = os.environ.get("ALLYBOT_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgres"]

# A Saturday morning in late November, UK time (GMT).
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@dataclass(slots=True)
class DatabaseTarget:
    backend: str
    url: str
    schema: str | None

    def open(self) -> Database:
        return Database(self.url, schema=self.schema)


@pytest.fixture(params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[DatabaseTarget]:
    """An empty database (no tables yet) on each backend."""
    if request.param == "sqlite":
        yield DatabaseTarget("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'test.db'}", None)
        return
    if not POSTGRES_URL:
        pytest.skip("set ALLYBOT_TEST_POSTGRES_URL to run storage tests on PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    plain = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(plain)
    try:
        await connection.execute(f'CREATE SCHEMA "{schema}"')
    finally:
        await connection.close()
    try:
        yield DatabaseTarget("postgres", normalise_database_url(POSTGRES_URL), schema)
    finally:
        connection = await asyncpg.connect(plain)
        try:
            await connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
        finally:
            await connection.close()


@pytest.fixture
async def database(database_url: DatabaseTarget) -> AsyncIterator[Database]:
    """A migrated, empty database on each backend."""
    db = database_url.open()
    await db.upgrade()
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture(autouse=True)
def _console_files_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files the console saves (calendar files, CSVs, charts) stay in the test's own folder."""
    monkeypatch.setenv("ALLYBOT_FILES_DIR", str(tmp_path / "console-files"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def messenger() -> RecordingMessenger:
    return RecordingMessenger()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
async def app(
    database: Database, settings: Settings, clock: FixedClock, messenger: RecordingMessenger
) -> AsyncIterator[Application]:
    """The whole platform-neutral bot on the demo content (leads: alex; admin: sam)."""
    application = await build_application(
        settings, messenger=messenger, demo=True, clock=clock, database=database, upgrade=False
    )
    yield application


async def say(
    app: Application,
    text: str,
    *,
    user: str = "you",
    platform: str = "console",
    shared: bool = False,
) -> list[Reply]:
    """Send `text` as `user` and return the bot's replies."""
    request = Request(
        person=Person(platform=platform, id=user, display_name=user.title()),
        text=text,
        conversation=Conversation(id="C-shared" if shared else "D-private", shared=shared),
    )
    return await app.router.dispatch(request)


async def say_one(app: Application, text: str, **kwargs: object) -> Reply:
    replies = await say(app, text, **kwargs)  # type: ignore[arg-type]
    assert len(replies) == 1, replies
    return replies[0]


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    """A fake Bot Framework connector on a free loopback port, recording what it is sent."""
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.stop()
    # Every card the bot sent in the test must be one Teams can show.
    cards = [call.card for call in fake.calls if call.card is not None]
    if cards and checkable():
        assert_valid_cards(cards)
