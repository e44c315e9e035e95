"""Logs carry no personal data at any level: not the SQL values, not a database error's
explanation of the row it refused. Checked at DEBUG, on both databases."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import datetime

import pytest

from bot.app import Application
from bot.logs import KeyValueFormatter, configure_logging
from bot.messages import Reply
from bot.router import Command, HandlerContext
from storage.models import User
from tests.conftest import say_one

NEEDS = "MARKER-NEEDS-1234"
QUESTION = "MARKER-QUESTION-5678"
STORED_KEY = "MARKER-KEY-9012"
STORED_NAME = "MARKER-NAME-3456"
MARKERS = (NEEDS, QUESTION, STORED_KEY, STORED_NAME)
WATCHED = ("", "sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg")


class Everything(logging.Handler):
    """Every record, formatted the way the bot writes it, and with its raw arguments."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(KeyValueFormatter())
        self.stream = io.StringIO()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.stream.write(self.format(record) + "\n")
        self.stream.write(f"{record.msg!r} {record.args!r}\n")

    @property
    def text(self) -> str:
        return self.stream.getvalue()


@pytest.fixture
def logged() -> Iterator[Everything]:
    """Logging configured as `allybot serve` does with log_level = "DEBUG", captured."""
    root = logging.getLogger()
    saved_handlers = root.handlers[:]
    # Every logger configure_logging touches (ours at DEBUG too), so no later test inherits them.
    saved_levels = {name: logging.getLogger(name).level for name in (*WATCHED, "alembic")}
    saved_levels |= {
        name: logger.level
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    configure_logging("DEBUG")
    capture = Everything()
    root.addHandler(capture)
    try:
        yield capture
    finally:
        root.handlers[:] = saved_handlers
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)
        for name, logger in logging.root.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.setLevel(saved_levels.get(name, logging.NOTSET))


async def store_twice(context: HandlerContext) -> Reply:
    """A write the database refuses, with personal data in the refused row."""
    now: datetime = context.now
    for _ in range(2):
        context.session.add(
            User(
                platform="console",
                external_id=STORED_KEY,
                display_name=STORED_NAME,
                created_at=now,
                last_seen_at=now,
            )
        )
        await context.session.flush()
    return Reply(text="stored")


async def test_nothing_people_wrote_reaches_the_logs_at_debug(
    app: Application, logged: Everything
) -> None:
    from tests.support.sessions import add_session

    session_id = await add_session(app, capacity=10)
    await say_one(app, "join pride", user="robin")
    assert "Welcome" in (await say_one(app, "agree", user="robin")).text
    registered = await say_one(app, f"register {session_id} needs: {NEEDS}", user="robin")
    assert "You're registered" in registered.text
    await say_one(app, f"ask leads pride {QUESTION}", user="casey")
    app.router.add(Command("store twice", store_twice, "fails on purpose"))
    failed = await say_one(app, "store twice", user="casey")
    assert "Sorry, something went wrong" in failed.text

    # The requests and the failure were logged, so the scan below looked at real lines.
    assert "request_handled" in logged.text
    assert "unexpected_error" in logged.text and "IntegrityError" in logged.text
    for marker in MARKERS:
        assert marker not in logged.text, marker


def test_http_clients_under_the_platform_sdks_stay_quiet_at_debug(logged: Everything) -> None:
    """urllib3 (under botbuilder) logs every reply's URL, which holds the person's
    conversation id; at DEBUG that line would sit beside an anonymous question's."""
    conversation = "conv-29%3AMARKER-CONVERSATION"
    for library in ("urllib3.connectionpool", "msrest.http_logger", "aiohttp.client", "a.new.lib"):
        logging.getLogger(library).debug("POST /v3/conversations/%s/activities", conversation)
        logging.getLogger(library).info("POST /v3/conversations/%s/activities", conversation)
    logging.getLogger("allybot.teams").debug("own_event_at_debug")
    written = logged.text
    assert "MARKER-CONVERSATION" not in written
    assert "own_event_at_debug" in written
