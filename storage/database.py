"""The async engine, transactions, health and migrations for SQLite or PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, ExceptionContext, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from storage.log_fields import log_event

_log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
# Generous on purpose: on SQLite every writer queues behind the one holding the lock, and a
# burst of registrations should wait its turn rather than fail with "database is locked".
DEFAULT_BUSY_TIMEOUT_SECONDS = 30.0
# An execution option for connections that only read (a health check): they may start a
# deferred transaction and so never wait behind a writer.
READ_ONLY = "allybot_read_only"
SQLITE_POOL_SIZE = 10
# Set while this task (or one it started) holds its turn at SQLite's write lock.
_HOLDING_SQLITE_TURN: ContextVar[bool] = ContextVar("allybot_holding_sqlite_turn", default=False)
# Owner read and write only: the file holds access needs, memberships and questions.
SQLITE_FILE_MODE = 0o600
_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")
# The PostgreSQL advisory lock every allybot process takes for migrating and seeding, so
# that replicas started together take turns: the first does the work, the others wait and
# find it done. Any fixed number works; this one spells "allybot" in ASCII.
STARTUP_LOCK_KEY = 0x616C6C79626F74
# Which databases this task already holds the start-up lock on, so nested holders (a
# start-up that migrates, then seeds) take it once.
_holding_startup_lock: ContextVar[frozenset[int]] = ContextVar(
    "allybot_startup_lock", default=frozenset()
)


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names, or None for an in-memory or non-SQLite database."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    name = parsed.database or ""
    if name in ("", ":memory:") or name.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(name)


def secure_sqlite_file(path: Path) -> None:
    """Create the database file owner-only before SQLite does, and tighten an existing one.

    SQLite creates its -wal and -shm files with the main file's permissions, so they
    follow. A file that other accounts could read is narrowed (and said so in the log),
    because the promise "only the leads see it" must not depend on the host's umask.
    """
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, SQLITE_FILE_MODE)
    except FileExistsError:
        pass
    except FileNotFoundError:
        return  # no such folder: let SQLite report it as it always has
    else:
        os.close(descriptor)
        # os.open applies the umask: an odd one may have taken the owner's own write bit.
        os.chmod(path, SQLITE_FILE_MODE)
        return
    for suffix in _SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        try:
            mode = stat.S_IMODE(companion.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            os.chmod(companion, mode & 0o700)
            log_event(
                _log,
                logging.WARNING,
                "database_file_permissions_narrowed",
                suffix=suffix or "-",
                was=oct(mode),
                now=oct(mode & 0o700),
            )


def _sqlite_connected(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def connected(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN away from the driver: pysqlite would begin lazily at the first write,
        # after the reads that decide it (places left, a room's size), so two requests
        # could both see the last place free. `_sqlite_begin` emits BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL lets the console, the server and a backup read while one writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        # Writers queue for the lock (in their connection's thread) instead of failing.
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows (forget me, purged access needs) are overwritten, not left in
        # free pages of the file where a copy of it would still show them.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return connected


def _without_row_values(context: ExceptionContext) -> None:
    """Drop PostgreSQL's explanation of a refused row from the error, keeping the error.

    A constraint failure comes with "DETAIL: Key (external_id)=(...) already exists" or
    "Failing row contains (...)", and asyncpg puts that detail into the error's text,
    which every traceback prints. `hide_parameters` does not cover it.
    """
    error: BaseException | None = context.original_exception
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if getattr(error, "detail", None):
            error.detail = None  # type: ignore[attr-defined]
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock at BEGIN, so everything a transaction reads before it
    # writes is still true when it commits: SQLite's answer to SELECT ... FOR UPDATE.
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


class Database:
    """One engine and its session factory. Callers own transactions via `transaction()`."""

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS,
    ) -> None:
        self.url = url
        connect_args: dict[str, Any] = {}
        options: dict[str, Any] = {}
        if self.is_postgres and schema:
            # Lets tests (and operators who share a database) keep allybot in its own schema.
            connect_args["server_settings"] = {"search_path": schema}
        if self.is_sqlite:
            path = sqlite_file(url)
            if path is not None:
                secure_sqlite_file(path)
            # Only one connection writes at a time; the others wait for the lock at BEGIN,
            # each in its own aiosqlite thread. Ten keep a burst in flight without threads
            # opened and closed per request (what overflow connections cost), and a request
            # waits for a free connection at least as patiently as for the lock.
            options.update(
                pool_size=SQLITE_POOL_SIZE,
                max_overflow=0,
                pool_timeout=max(30.0, busy_timeout_seconds),
            )
        # A server can drop a pooled connection (restart, failover, idle timeout), so test
        # each one before use; an SQLite file cannot, and the test costs four round trips.
        self.engine = create_async_engine(
            url,
            connect_args=connect_args,
            pool_pre_ping=not self.is_sqlite,
            # A failed statement's values (access needs, a question's text) must never reach
            # a log line or a traceback.
            hide_parameters=True,
            **options,
        )
        if self.is_sqlite:
            event.listen(
                self.engine.sync_engine,
                "connect",
                _sqlite_connected(round(busy_timeout_seconds * 1000)),
            )
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        else:
            event.listen(self.engine.sync_engine, "handle_error", _without_row_values)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Every SQLite transaction takes the write lock at BEGIN. Left to SQLite, the
        # transactions waiting for it poll in its busy handler, sleeping up to 100 ms at a
        # time, and the unlucky one waits seconds behind later arrivals; queued here
        # instead, they take turns in order and start the moment the lock is free.
        self._sqlite_turns = asyncio.Lock() if self.is_sqlite else None

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgresql")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on any exception."""
        if self._sqlite_turns is None or _HOLDING_SQLITE_TURN.get():
            # A transaction opened inside another one (or by a task it started) must not
            # queue behind it: it waits for SQLite's lock as before.
            async with self.sessions() as session, session.begin():
                yield session
            return
        async with self._sqlite_turns:
            holding = _HOLDING_SQLITE_TURN.set(True)
            try:
                async with self.sessions() as session, session.begin():
                    yield session
            finally:
                _HOLDING_SQLITE_TURN.reset(holding)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session that only reads: on SQLite it begins DEFERRED, so it takes no write lock
        and waits for no writer's turn (a calendar polling a feed, say). Nothing it does is
        kept (closing it rolls back), and what it loaded stays readable afterwards."""
        async with self.sessions() as session:
            await session.connection(execution_options={READ_ONLY: True})
            yield session

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as connection:
                await connection.execution_options(**{READ_ONLY: True})
                await connection.execute(text("SELECT 1"))
        except (OSError, TimeoutError, SQLAlchemyError) as error:
            log_event(_log, logging.WARNING, "database_unreachable", error=type(error).__name__)
            return False
        return True

    @asynccontextmanager
    async def startup_lock(self) -> AsyncIterator[None]:
        """Hold the deployment-wide start-up lock: one process at a time migrates and seeds.

        On PostgreSQL it is a session advisory lock on a connection of its own, so it is
        released when this block ends or when the process dies (its connection closes).
        SQLite needs none: every transaction there begins IMMEDIATE, which already queues
        migrations and seeding of one file behind each other.
        """
        held = _holding_startup_lock.get()
        if not self.is_postgres or id(self) in held:
            yield
            return
        async with self.engine.connect() as connection:
            await connection.execute(
                text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK_KEY}
            )
            # Commit the implicit transaction: the lock belongs to the session, and the
            # connection must not sit "idle in transaction" while others migrate.
            await connection.commit()
            token = _holding_startup_lock.set(held | {id(self)})
            try:
                yield
            finally:
                _holding_startup_lock.reset(token)
                await connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK_KEY}
                )
                await connection.commit()

    async def upgrade(self) -> None:
        """Apply every migration not yet applied, one process at a time."""
        async with self.startup_lock(), self.engine.begin() as connection:
            await connection.run_sync(_run_alembic, "upgrade", "head")

    async def current_revision(self) -> str | None:
        async with self.engine.connect() as connection:
            await connection.execution_options(**{READ_ONLY: True})
            return await connection.run_sync(_current_revision)

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _run_alembic(connection: Connection, action: str, target: str) -> None:
    config = alembic_config(connection)
    if action == "upgrade":
        command.upgrade(config, target)
    elif action == "downgrade":
        command.downgrade(config, target)
    else:
        raise ValueError(f"unknown migration action {action!r}")


def _current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()
