"""A reply finished after the commit (`context.complete_after_commit`): the step sees the
change already kept, its outcome is the reply the person gets, notices it queues go out
after it, and a step that fails leaves the true draft and an error in the log."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from bot.app import Application
from bot.messages import Reply
from bot.router import Command, HandlerContext
from storage.log_fields import FIELDS
from storage.repositories import UserRepository
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger


def _register(app: Application, *, failing: bool) -> list[bool]:
    kept_when_stepping: list[bool] = []

    async def handler(context: HandlerContext) -> Reply:
        await UserRepository(context.session).for_key("console:kim", context.now)

        async def step(draft: Reply) -> Reply:
            async with app.database.sessions() as session:
                kim = await UserRepository(session).get_by_key("console", "kim")
            kept_when_stepping.append(kim is not None)
            if failing:
                raise RuntimeError("the platform fell over")
            context.notify("console:lead", Reply(text="Told after the step."))
            return replace(draft, text=f"{draft.text} And the platform did it.")

        return context.complete_after_commit(Reply(text="Kim is added."), step)

    app.router.add(Command(phrase="add kim", handler=handler, summary="a test command"))
    return kept_when_stepping


async def test_the_step_runs_after_the_commit_and_finishes_the_one_reply(
    app: Application, messenger: RecordingMessenger
) -> None:
    kept = _register(app, failing=False)
    reply = await say_one(app, "add kim")
    assert reply.text == "Kim is added. And the platform did it."
    assert kept == [True]
    assert [notice.reply.text for notice in messenger.sent] == ["Told after the step."]


async def test_a_failing_step_leaves_the_draft_and_reports_the_error(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    kept = _register(app, failing=True)
    with caplog.at_level(logging.ERROR, logger="allybot.errors"):
        reply = await say_one(app, "add kim")
    assert reply.text == "Kim is added."
    assert kept == [True]
    [error] = [record for record in caplog.records if record.getMessage() == "unexpected_error"]
    assert getattr(error, FIELDS)["where"] == "complete-reply"
