"""Structured log fields for storage's own few log lines.

Storage imports nothing above it, so it cannot use `bot.logs`; it attaches its fields
under the same record attribute, which the formatter in `bot.logs` reads from here.
"""

from __future__ import annotations

import logging
from typing import Any

FIELDS = "allybot_fields"


def log_event(logger: logging.Logger, level: int, event: str, **fields: Any) -> None:
    """Log `event` with fields. Pass exc_info=True to attach the current traceback."""
    exc_info = fields.pop("exc_info", False)
    logger.log(level, event, extra={FIELDS: fields}, exc_info=exc_info)
