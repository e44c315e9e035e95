"""Shared fixtures. Every test that takes `database` runs on SQLite, and on PostgreSQL
too when ALLYBOT_TEST_POSTGRES_URL is set (CI sets it)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

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


class _MigratedDatabases:
    """Migrated databases the real migrations made once per test process, for each test.

    Migrating takes 0.2 s on SQLite and 0.5 s on PostgreSQL, and nearly every test wants
    a migrated, empty database. On SQLite each test gets a copy of one migrated file. On
    PostgreSQL, where even CREATE DATABASE ... TEMPLATE takes most of a second on a busy
    machine, each test process keeps one migrated database and empties it before each
    test: every connection left to it is ended, every row deleted and every sequence
    restarted, so a test sees what a fresh migration leaves. Tests of the migrations
    themselves take `database_url` alone and still start from nothing.
    """

    def __init__(self) -> None:
        self.sqlite_file: Path | None = None
        self.postgres_name: str | None = None
        self.emptying = ""

    async def sqlite_copy(self, folder: Path, factory: pytest.TempPathFactory) -> Path:
        if self.sqlite_file is None:
            template = factory.mktemp("migrated") / "template.db"
            db = Database(f"sqlite+aiosqlite:///{template}")
            await db.upgrade()
            await db.dispose()
            self.sqlite_file = template
        target = folder / "test.db"
        shutil.copyfile(self.sqlite_file, target)
        # Owner-only, as allybot makes its own files, so opening it logs no narrowing.
        target.chmod(0o600)
        return target

    async def postgres_empty(self) -> str:
        """The name of this process's migrated PostgreSQL database, emptied."""
        if self.postgres_name is None:
            name = f"allybot_test_{uuid.uuid4().hex[:12]}"
            await on_postgres_server(f'CREATE DATABASE "{name}"')
            try:
                db = Database(normalise_database_url(_database_named(POSTGRES_URL, name)))
                await db.upgrade()
                await db.dispose()
                self.emptying = await self._emptying(name)
            except BaseException:
                # Left unnamed, the next test tries again rather than using half a database.
                await on_postgres_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                raise
            self.postgres_name = name
            return name
        connection = await self._connect(self.postgres_name)
        try:
            await connection.execute(self.emptying)
        finally:
            await connection.close()
        return self.postgres_name

    async def _emptying(self, name: str) -> str:
        """One script that empties every table (not the migration record) and restarts
        every sequence, in one transaction: far quicker than TRUNCATE on nearly empty tables."""
        connection = await self._connect(name)
        try:
            tables = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
            sequences = await connection.fetch(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
            )
        finally:
            await connection.close()
        return "\n".join(
            [
                # A test that left a connection open must not hold a lock or a transaction.
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid();",
                "BEGIN;",
                # Rows go in any order: foreign keys are not checked while emptying.
                "SET LOCAL session_replication_role = replica;",
                *(f'DELETE FROM "{row["tablename"]}";' for row in tables),
                # Each from its own start value, as the migration created it.
                *(f'ALTER SEQUENCE "{row["sequencename"]}" RESTART;' for row in sequences),
                "COMMIT;",
            ]
        )

    @staticmethod
    async def _connect(name: str) -> asyncpg.Connection:
        url = _database_named(plain_postgres_url(POSTGRES_URL), name)
        return await asyncpg.connect(url)

    async def drop(self) -> None:
        if self.postgres_name is not None:
            await on_postgres_server(f'DROP DATABASE IF EXISTS "{self.postgres_name}" WITH (FORCE)')


_DATABASES = _MigratedDatabases()


def plain_postgres_url(url: str) -> str:
    """The URL asyncpg itself takes (no SQLAlchemy driver name)."""
    return url.replace("postgresql+asyncpg://", "postgresql://")


def _database_named(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def on_postgres_server(statement: str) -> None:
    """Run one statement on the test server's own database (CREATE/DROP DATABASE)."""
    connection = await asyncpg.connect(plain_postgres_url(POSTGRES_URL))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session", autouse=True)
def _drop_databases() -> Iterator[None]:
    yield
    asyncio.run(_DATABASES.drop())


@pytest.fixture(params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseTarget]:
    """An empty database (no tables yet) on each backend; already migrated when the test
    takes `database` too, since that is what it gets."""
    migrated = "database" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        if migrated:
            path = await _DATABASES.sqlite_copy(tmp_path, tmp_path_factory)
        yield DatabaseTarget("sqlite", f"sqlite+aiosqlite:///{path}", None)
        return
    if not POSTGRES_URL:
        pytest.skip("set ALLYBOT_TEST_POSTGRES_URL to run storage tests on PostgreSQL")
    if migrated:
        name = await _DATABASES.postgres_empty()
        yield DatabaseTarget(
            "postgres", normalise_database_url(_database_named(POSTGRES_URL, name)), None
        )
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    await on_postgres_server(f'CREATE SCHEMA "{schema}"')
    try:
        yield DatabaseTarget("postgres", normalise_database_url(POSTGRES_URL), schema)
    finally:
        await on_postgres_server(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
async def database(database_url: DatabaseTarget) -> AsyncIterator[Database]:
    """A migrated, empty database on each backend (see `_MigratedDatabases`)."""
    db = database_url.open()
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
