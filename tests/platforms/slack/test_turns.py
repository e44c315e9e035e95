"""A person's Slack commands are answered in the order they were sent, one at a time,
while different people's run side by side."""

from __future__ import annotations

import asyncio

from bot.platforms.slack.turns import PersonTurns


async def test_one_persons_commands_run_in_order_and_never_overlap() -> None:
    turns = PersonTurns()
    happened: list[str] = []

    async def command(person: str, name: str, takes: float) -> None:
        async with turns.of(person):
            happened.append(f"{name} starts")
            await asyncio.sleep(takes)
            happened.append(f"{name} ends")

    # "join" is slow and "agree" fast: agree still waits for join, as the person meant.
    await asyncio.gather(
        command("U100", "join", 0.05), command("U100", "agree", 0.0), command("U200", "other", 0.0)
    )
    robin = [step for step in happened if not step.startswith("other")]
    assert robin == ["join starts", "join ends", "agree starts", "agree ends"]
    # Someone else did not wait for robin.
    assert happened.index("other ends") < happened.index("join ends")
    # Nothing is kept about anyone once their commands are done.
    assert turns._locks == {} and turns._waiting == {}
