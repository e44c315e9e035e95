"""Leads answer anonymous questions and publish an answer as an entry."""

from __future__ import annotations

from bot.app import Application
from tests.conftest import say_one


async def test_a_lead_publishes_an_answer_as_a_new_entry(app: Application) -> None:
    await say_one(app, "ask leads pride is there a trans support group?", user="robin")
    await say_one(app, "send question 1", user="robin")
    await say_one(app, "answer 1 Yes, it meets on the first Tuesday of each month.", user="alex")

    published = await say_one(app, "kb publish 1", user="alex")
    assert "kb is-there-a-trans-support-group" in published.text

    found = await say_one(app, "is there a support group for trans people", user="kim")
    assert "first Tuesday of each month" in found.text
