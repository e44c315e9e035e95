"""The funnel tells a database out of reach from everything else that goes wrong."""

from __future__ import annotations

import logging

import aiohttp
import pytest
from sqlalchemy import text

from bot.funnel import APOLOGY, UNREACHABLE, ErrorFunnel
from storage.database import Database

# Nothing listens on port 1: connecting is refused at once.
NOBODY = "127.0.0.1:1"


async def _database_error() -> BaseException:
    database = Database(f"postgresql+asyncpg://postgres@{NOBODY}/none")
    try:
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - the error is what the test is about
        return error
    finally:
        await database.dispose()
    raise AssertionError("a database nobody serves answered")


async def _platform_error() -> BaseException:
    try:
        async with aiohttp.ClientSession() as client, client.get(f"http://{NOBODY}/"):
            pass
    except OSError as error:
        return error
    raise AssertionError("a web server nobody runs answered")


async def test_a_database_refusing_connections_gets_the_kind_reply_and_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    error = await _database_error()
    with caplog.at_level(logging.INFO, logger="allybot.errors"):
        reply = ErrorFunnel().reply_for(error, where="command:sessions")
    assert reply.text == UNREACHABLE
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.getMessage() == "database_unreachable"
    assert not record.exc_info


async def test_a_chat_platform_out_of_reach_is_still_reported_as_a_bug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A socket error from an HTTP client (Slack, Teams) is not the database going away:
    # the person is not told to wait for their records, and the operator gets a traceback.
    error = await _platform_error()
    with caplog.at_level(logging.INFO, logger="allybot.errors"):
        reply = ErrorFunnel().reply_for(error, where="command:sessions")
    assert reply.text.startswith(APOLOGY.split("{ref}")[0])
    [record] = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info
