"""On SQLite every transaction takes the write lock: a burst of them is served in the
order it came, so no request waits seconds behind later ones (SQLite's own busy handler
polls, and lets late arrivals overtake)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from storage.database import Database


async def test_waiting_transactions_take_turns_in_order(database: Database) -> None:
    if not database.is_sqlite:
        pytest.skip("PostgreSQL transactions do not share one lock")
    order: list[int] = []
    release = asyncio.Event()
    holding = asyncio.Event()

    async def first() -> None:
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))
            holding.set()
            await release.wait()

    async def waiter(number: int) -> None:
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))
            order.append(number)

    held = asyncio.create_task(first())
    await holding.wait()
    waiters = []
    for number in range(8):
        waiters.append(asyncio.create_task(waiter(number)))
        # Each is waiting for the lock before the next one comes.
        for _ in range(3):
            await asyncio.sleep(0)
    release.set()
    await asyncio.gather(held, *waiters)
    assert order == list(range(8))


async def test_a_transaction_inside_another_does_not_wait_for_it(database: Database) -> None:
    async with database.transaction() as outer:
        async with database.transaction() as inner:
            assert await inner.scalar(text("SELECT 1")) == 1
        assert await outer.scalar(text("SELECT 2")) == 2
