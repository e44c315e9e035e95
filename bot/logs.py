"""Structured, greppable logging to standard error.

Every line is `key=value` pairs. Call sites pass ids and counts as fields; message
text, names and membership never go in a log line, because logs travel further than
the database (to log shippers, tickets, screenshots).
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

# One attribute name for the fields, shared with storage, which cannot import this module.
from storage.log_fields import FIELDS as _FIELDS


def log_event(logger: logging.Logger, level: int, event: str, **fields: Any) -> None:
    """Log `event` with fields. Pass exc_info=True to attach the current traceback."""
    exc_info = fields.pop("exc_info", False)
    logger.log(level, event, extra={_FIELDS: fields}, exc_info=exc_info)


def _quote(value: Any) -> str:
    text = str(value)
    if text == "" or any(char in text for char in ' ="\n\t'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return text


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        parts = [
            f"ts={stamp}",
            f"level={record.levelname.lower()}",
            f"logger={record.name}",
            f"event={_quote(record.getMessage())}",
        ]
        for key, value in getattr(record, _FIELDS, {}).items():
            parts.append(f"{key}={_quote(value)}")
        line = " ".join(parts)
        if record.exc_info:
            trace = self.formatException(record.exc_info)
            line += "\n" + "\n".join("  | " + row for row in trace.splitlines())
        return line


# Database drivers and SQL loggers write statements with their values (access needs, a
# question's text next to its asker) at INFO and DEBUG: they stay at WARNING whatever
# `log_level` says.
DATABASE_LOGGERS = (
    "sqlalchemy",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "sqlalchemy.orm",
    "sqlalchemy.dialects",
    "aiosqlite",
    "asyncpg",
)


# The bot's own loggers; every other logger is a library's.
OWN_LOGGERS = ("allybot", "bot", "handlers", "storage")


def configure_logging(level: str = "INFO") -> None:
    """Log the bot's own events at `level`; hold every library at WARNING, whatever it is.

    Libraries write what they handle at INFO and DEBUG: SQL with its values, and HTTP
    clients (urllib3 under botbuilder, aiohttp) each request's URL, which for a reply
    holds the person's conversation id, right beside our own lines that name nobody
    (anonymous questions). An allow-list keeps a library we have not met out too.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(max(logging.getLevelName(level), logging.WARNING))
    for own in OWN_LOGGERS:
        logging.getLogger(own).setLevel(level)
    # Library chatter at INFO (every HTTP call, every scheduler tick) would bury our events.
    for noisy in ("aiohttp.access", "apscheduler", "slack_bolt", "slack_sdk", "botbuilder"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for database in DATABASE_LOGGERS:
        logging.getLogger(database).setLevel(logging.WARNING)
    # Which migration ran is worth keeping; below INFO alembic has nothing more for us.
    logging.getLogger("alembic").setLevel(max(logging.getLevelName(level), logging.INFO))
