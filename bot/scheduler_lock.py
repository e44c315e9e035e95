"""One scheduler per SQLite file: a lock file beside the database, held while it runs."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO


class SchedulerAlreadyRunning(Exception):
    """Another process already runs the scheduler on this SQLite database."""


class SchedulerLock:
    """An exclusive lock file beside a SQLite database, held while the scheduler runs.

    SQLite cannot arbitrate several dispatchers safely across processes, so the second
    `allybot serve` on the same file is refused with a clear message. The operating
    system releases the lock if the process dies, so a crash never leaves it stuck.
    """

    def __init__(self, database_path: Path) -> None:
        # Beside the file itself, so the same file reached through a symlink or another
        # relative path meets the same lock.
        real = database_path.resolve()
        self.path = real.with_name(real.name + ".scheduler.lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise SchedulerAlreadyRunning(
                f"another allybot process is already running the scheduler on this SQLite "
                f"database ({self.path.name} is locked). SQLite supports one `allybot serve` "
                "at a time: stop the other one, or use PostgreSQL (DATABASE_URL) to run "
                "several."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; None for PostgreSQL or an in-memory database."""
    if not url.startswith("sqlite"):
        return None
    _, _, path = url.partition(":///")
    if not path or path == ":memory:" or path.startswith("file::memory:"):
        return None
    return Path(path.split("?", 1)[0])
