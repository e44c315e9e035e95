"""Telling "the database cannot be reached just now" from every other failure.

An outage (a server restarting, a failover, a network cut) is not a bug: nobody needs a
traceback for it, and the person can simply try again in a minute. Everything else a
statement can raise still is a bug, and is reported as one.
"""

from __future__ import annotations

import sqlite3
import traceback
from collections.abc import Iterator

import asyncpg
from sqlalchemy import exc

# Errors that say the connection, not the statement, failed: the server hung up, refuses
# connections while it starts or stops, or the driver lost the socket.
_DRIVER_OUTAGES: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.InterfaceError,
)
_SQLALCHEMY_OUTAGES: tuple[type[BaseException], ...] = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.DisconnectionError,
    exc.TimeoutError,  # no pooled connection came free in time
)
# OS errors about files, not sockets: a missing or unreadable file is a bug to report.
_FILE_ERRORS = (FileNotFoundError, FileExistsError, IsADirectoryError, PermissionError)
_DRIVER_MODULES = ("asyncpg", "sqlalchemy", "aiosqlite")
# The networking plumbing a driver calls into; the caller beneath it decides.
_PLUMBING_MODULES = ("asyncio", "socket", "ssl", "selectors", "concurrent", "threading")


def is_unreachable(error: BaseException) -> bool:
    """True when `error`, or what caused it, is the database being out of reach.

    An SQLite file cannot go away: its errors (a lock not had in time, a full disk) are
    reported as they always were.
    """
    links = list(_chain(error))
    if any(isinstance(link, sqlite3.Error) for link in links):
        return False
    for link in links:
        if isinstance(link, exc.DBAPIError) and link.connection_invalidated:
            return True
        if isinstance(link, _SQLALCHEMY_OUTAGES + _DRIVER_OUTAGES):
            return True
        if (
            isinstance(link, OSError | TimeoutError)
            and not isinstance(link, _FILE_ERRORS)
            and _raised_by_driver(link)
        ):
            return True
    return False


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        yield link
        link = getattr(link, "orig", None) or link.__cause__ or link.__context__


def _raised_by_driver(error: BaseException) -> bool:
    """Whether a socket error or timeout came out of a database driver, rather than (say)
    a chat platform's HTTP client: the innermost frame that is not networking plumbing
    belongs to the driver."""
    modules = [
        frame.f_globals.get("__name__", "") for frame, _ in traceback.walk_tb(error.__traceback__)
    ]
    for module in reversed(modules):
        if module.startswith(_PLUMBING_MODULES):
            continue
        return module.startswith(_DRIVER_MODULES)
    return False
