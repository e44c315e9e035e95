"""The database engine: SQLite's file is private and locked at BEGIN, and no engine puts
statement values into errors or logs."""

from __future__ import annotations

import os
import sqlite3
import stat
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.config import ConfigError
from bot.config_loading import load_settings
from storage.database import Database


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most hosts have, under which SQLite alone would create the file 0644."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def read_all(folder: Path, name: str) -> bytes:
    """The database file and whatever journal is beside it."""
    return b"".join(path.read_bytes() for path in sorted(folder.glob(f"{name}*")))


async def test_the_sqlite_file_and_its_journals_are_readable_by_their_owner_only(
    tmp_path: Path, usual_umask: None
) -> None:
    path = tmp_path / "allybot.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await database.upgrade()
        async with database.transaction() as session:
            await session.execute(text("CREATE TABLE scratch (note TEXT)"))
            await session.execute(text("INSERT INTO scratch VALUES ('kept in the WAL')"))
        # While connections are open the WAL and shared-memory files exist beside it.
        modes = [mode_of(Path(f"{path}{suffix}")) for suffix in ("", "-wal", "-shm")]
        assert modes == [0o600, 0o600, 0o600]
    finally:
        await database.dispose()


async def test_an_existing_world_readable_file_is_narrowed(
    tmp_path: Path, usual_umask: None
) -> None:
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await database.upgrade()
        assert mode_of(path) == 0o600
    finally:
        await database.dispose()


async def test_deleted_rows_are_overwritten_on_sqlite(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'secure.db'}")
    try:
        async with database.transaction() as session:
            assert (await session.execute(text("PRAGMA secure_delete"))).scalar() == 1
            await session.execute(text("CREATE TABLE needs (text TEXT)"))
            for note in ("captions please", "MARKER-DELETED-4711", "step-free access"):
                await session.execute(text("INSERT INTO needs VALUES (:note)"), {"note": note})
        async with database.transaction() as session:
            await session.execute(text("DELETE FROM needs WHERE text LIKE 'MARKER%'"))
    finally:
        await database.dispose()
    # Closing the last connection folds the WAL back into the file.
    assert b"MARKER-DELETED-4711" not in read_all(tmp_path, "secure.db")


async def test_a_transaction_holds_the_sqlite_write_lock_from_its_first_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lock.db"
    database = Database(f"sqlite+aiosqlite:///{path}", busy_timeout_seconds=0.05)
    other = sqlite3.connect(path, isolation_level=None, timeout=0.05)
    try:
        await database.upgrade()
        async with database.transaction() as session:
            await session.execute(text("SELECT count(*) FROM users"))
            # Nothing written yet, and still no one else may start writing.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            # A health check still answers while a writer holds the lock.
            assert await database.ping()
        other.execute("BEGIN IMMEDIATE")
        # And a writer that cannot get the lock in time gives up instead of hanging.
        with pytest.raises(OperationalError, match="locked"):
            async with database.transaction() as session:
                await session.execute(text("SELECT count(*) FROM users"))
        other.execute("ROLLBACK")
        assert await database.current_revision() is not None
    finally:
        other.close()
        await database.dispose()


async def test_sqlite_waits_for_the_lock_as_long_as_configured(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'wait.db'}", busy_timeout_seconds=12.5)
    try:
        async with database.transaction() as session:
            assert (await session.execute(text("PRAGMA busy_timeout"))).scalar() == 12500
    finally:
        await database.dispose()


async def test_statement_values_never_appear_in_database_errors(database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(text("CREATE TABLE probe (note VARCHAR(64) PRIMARY KEY)"))
    with pytest.raises(IntegrityError) as raised:
        async with database.transaction() as session:
            for _ in range(2):
                await session.execute(
                    text("INSERT INTO probe (note) VALUES (:note)"),
                    {"note": "MARKER-PARAMETER-2468"},
                )
    # Neither the statement's values nor PostgreSQL's "Key (note)=(...) already exists",
    # anywhere in what a traceback of it prints.
    printed = "".join(traceback.format_exception(raised.value))
    assert "IntegrityError" in printed
    assert "MARKER-PARAMETER-2468" not in printed


def test_the_busy_timeout_is_configurable_and_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text("[database]\nbusy_timeout_seconds = 90\n")
    assert load_settings(good, environ={}).database.busy_timeout_seconds == 90.0
    assert load_settings(None, environ={}).database.busy_timeout_seconds == 30.0
    bad = tmp_path / "bad.toml"
    bad.write_text("[database]\nbusy_timeout_seconds = -1\n")
    with pytest.raises(ConfigError, match=r"database\.busy_timeout_seconds"):
        load_settings(bad, environ={})
