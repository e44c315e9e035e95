"""Thousands of generated inputs through the router: none may get the internal-error apology.

How it is driven. Hypothesis' `@given` cannot wrap an async pytest test that uses
pytest-asyncio's function-scoped fixtures (the database and the app are made once per test,
not once per example). So the test, on the event loop, builds the app on the `database`
fixture, then runs a plain synchronous `@given` function in a worker thread
(`asyncio.to_thread`). Each example is one input, typed or pressed by one of four people (a
colleague, a member of the Pride Network, `alex` who leads it, and `sam` the admin); the
worker hands the dispatch back to the test's own loop with `asyncio.run_coroutine_threadsafe`
and waits for the replies, so the database, the clock and the app stay on the loop they were
made on. Hypothesis draws a seed and a few arbitrary unicode texts per example; the seed picks
the command, its arguments from pools of edge values, a typo, or a button an earlier reply
offered (see `compose`).

The database is shared by every example (state builds up, which is the point: buttons that
earlier replies offered are pressed later, by someone else), so a failing example cannot be
replayed or shrunk on its own: the shrink phase is off. Failures are collected instead of
raised, with the input and the exception behind each apology, and reported together at the
end; after the sweep the database invariants are checked.

CI runs a fixed, derandomised sweep (`derandomize=True`); set `ALLYBOT_FUZZ_EXAMPLES` (inputs
per database) for a larger one, e.g. `ALLYBOT_FUZZ_EXAMPLES=20000 .venv/bin/pytest
tests/core/test_fuzz_router.py`, and `ALLYBOT_FUZZ_SEED=<n>` for other inputs than CI's.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import random
import re
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field

import hypothesis
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import Application
from bot.arguments import Arguments
from bot.errors import UserError
from bot.funnel import APOLOGY
from bot.messages import Button, Call, Conversation, Form, FormFieldKind, Person, Reply, Request
from bot.router import Audience
from storage.database import Database
from storage.models import BreakoutPick, NetworkSession, SessionRegistration
from tests.conftest import say

APOLOGY_PREFIX = APOLOGY.split("{", 1)[0][:60]
# Inputs per database. Each example is one input; the conversation is the sequence of them.
EXAMPLES = int(os.environ.get("ALLYBOT_FUZZ_EXAMPLES", "2000"))
# A different seed explores different inputs; without one the sweep is the same every run.
SEED = os.environ.get("ALLYBOT_FUZZ_SEED", "")

COLLEAGUE = "fuzzcolleague"
MEMBER = "fuzzmember"
LEAD = "alex"
ADMIN = "sam"
ACTORS = (COLLEAGUE, MEMBER, LEAD, ADMIN)

LONG = "long " * 2000  # 10,000 characters: over the router's limit
NEAR_LIMIT = "ok " * 1300  # 3,900 characters: under it, so it reaches the handlers
EDGES = (
    "0",
    "-1",
    "1",
    "2",
    "3",
    "4",
    "5",
    "#2",
    str(2**31 - 1),
    str(2**31),
    str(2**63),
    str(2**64),
    "9" * 40,
    "²",
    "①",
    "١٢",
    "１２",
    "3²",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "<!channel>",
    "<!here|here>",
    "@everyone",
    "<@U0FAKE>",
    LONG,
    NEAR_LIMIT,
    "مرحبا بالعالم",
    "שלום עולם",
    "🏳️‍🌈",
    "👩🏽‍💻 café Zoë",
    "pride",
    "race",
    "disability",
    "neurodiversity",
    "as ally",
    "needs:",
    "needs: captions",
    "private",
    "named",
    "|",
    ":",
    "yes",
    "no",
    "now",
    "today",
    "tomorrow",
    "9am",
    "09:00",
    "²:00",
    "25:61",
    "1 Jan 9998 09:00",
    "31 Feb 2027 10:00",
    "13 Dec 2026 15:45",
    "2026-12-13 15:45",
    "13/12/2026 3pm",
    "next tuesday 3pm",
    "1 Jan 2020 10:00",
    "on 1 Dec 2027 09:00:",
    "on 1 Jan 9998 09:00:",
    "every monday 09:00:",
    "every monday ²:00:",
    "every first ²uesday 09:00:",
    "rounds: 2",
    "rounds: ²",
    "size: 8",
    "size: ²",
    "size: 2147483648",
    "opens: now",
    "closes: 1 Jan 9998 09:00",
    "| title: Fuzz | when: 20 Dec 2026 10:00 | capacity: 2",
    "| title: Fuzz | when: 1 Jan 9998 10:00",
    "| title: Fuzz | when: 20 Dec 2026 10:00 | capacity: 2147483648",
    "| title: Fuzz | when: 20 Dec 2026 10:00 | duration: 99999999999999999999 hours",
    "capacity: 1",
    "capacity: ²",
    "when: 1 Jan 9998 10:00",
    "duration: 90m",
    "to 1 Jan 9998 10:00",
    "to 19 Dec 2026 10:00",
    "attendees of 2147483648",
    "round ² topic",
    "slack:U0123ABCD",
    "console:fuzzmember",
    "console:" + "x" * 300,
    "teams:29:abc",
    "https://example.com/recording",
    "default",
    "14,7,0",
    "²,7",
    "999999999999,7",
    "trans-awareness-week",
    "pride-month",
    "description",
    "title",
    "members",
    "allies",
    "announcements",
    "slack",
    "teams",
    "C0123ABCD",
    "C" + "X" * 300,
    "csv",
    "all",
    "what is allyship?",
)
_PLACEHOLDER = re.compile(r"<[^<>]*>|…|\[[^\[\]]*\]")
NUMBERS = ("1", "2", "3", "4", "5", "6", "0", "-1", "#3", "²", "①", "١", str(2**31), str(2**63))
PEOPLE = (
    "console:" + "x" * 300,
    "<@U" + "X" * 300 + ">",
    "slack:\x00",
    "console:fuzzmember",
    "console:alex",
    "fuzzcolleague",
    "slack:U0123",
    "<@U0FAKE>",
    "console:" + "x" * 300,
    "<@U" + "X" * 300 + ">",
    "teams:\x00",
    "console:\ud800",
)
TEXTS = (
    "hello",
    "\x00",
    "a\x00b",
    "\ud800",
    "<!channel>",
    LONG,
    NEAR_LIMIT,
    "مرحبا",
    "🏳️‍🌈",
    "x" * 300,
    "https://example.com/r",
    "Zoë's talk",
)
WHEN = (
    "9am",
    "09:00",
    "²:00",
    "25:61",
    "1 Jan 9998 09:00",
    "20 Dec 2026 10:00",
    "tomorrow 10:00",
    "1 Jan 2020 10:00",
    "2026-12-13 15:45",
    "now",
)
# Which values suit a placeholder, by the words in it; any placeholder may get any edge too.
POOLS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("channel",), ("C0123ABCD", "C" + "X" * 300, "#general", "\x00")),
    (("members|allies",), ("members", "allies", "announcements")),
    (("days,before",), ("14,7,0", "²,7", "999999999999,7", "61")),
    (("network",), ("pride", "race", "disability", "neurodiversity", "nope", "Pride Network")),
    (("person", "lead"), PEOPLE),
    (("number", "id", "session", "topic", "n>"), NUMBERS + PEOPLE),
    (("time", "when", "day", "date"), (*WHEN, "trans-awareness-week", "pride-month")),
    (("platform",), ("slack", "teams", "console", "irc")),
    (("field",), ("title", "answer", "questions", "keywords", "url")),
    (("text", "question", "comment", "title", "link", "answer", "name", "…"), TEXTS),
)


@dataclass(slots=True, repr=False)
class Sweep:
    """What one run of the sweep has seen: inputs, failures and the buttons on offer."""

    app: Application
    loop: asyncio.AbstractEventLoop
    buttons: list[Button] = field(default_factory=list)
    seen_commands: set[str | Call] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    dispatched: int = 0

    def __repr__(self) -> str:
        return f"Sweep(dispatched={self.dispatched})"

    def send(self, actor: str, text: str | Call) -> list[Reply]:
        """Type `text`, or press a button (submit a form) with that call."""
        asked = (
            say(self.app, text, user=actor) if isinstance(text, str) else self._press(actor, text)
        )
        future = asyncio.run_coroutine_threadsafe(asked, self.loop)
        replies = future.result(timeout=60)
        self.dispatched += 1
        for reply in replies:
            if reply.text.startswith(APOLOGY_PREFIX):
                self.failures.append(f"{actor}: {text[:200]!r}")
            for button in reply.all_buttons:
                pressed = button.call or button.command
                if pressed not in self.seen_commands or button.form is not None:
                    self.seen_commands.add(pressed)
                    self.buttons.append(button)
        return replies

    async def _press(self, actor: str, call: Call) -> list[Reply]:
        person = Person(platform="console", id=actor, display_name=actor.title())
        return await self.app.router.dispatch(
            Request(person, "", Conversation(id="D-private"), call=call)
        )


def _shapes(usage: str) -> list[str]:
    """A command's usage as shapes to fill: `register <number> [needs: …]` -> parts."""
    return [shape.strip() for shape in usage.split("|")] if usage else []


def _pool(placeholder: str, phrase: str) -> tuple[str, ...]:
    if placeholder == "<id>" and phrase.endswith("lead"):
        return PEOPLE
    for words, pool in POOLS:
        if any(word in placeholder.lower() for word in words):
            return pool
    return EDGES


def _fill(shape: str, phrase: str, choices: Sequence[int], values: Sequence[str]) -> str:
    """Each placeholder gets a value from its own pool, or (one in four) any edge."""
    supply = iter(zip(choices, values, strict=False))

    def one(found: re.Match[str]) -> str:
        choice, edge = next(supply, (0, ""))
        if choice % 4 == 0:
            return edge
        pool = _pool(found.group(0), phrase)
        return pool[choice % len(pool)]

    return _PLACEHOLDER.sub(one, shape)


def _typo(word: str, position: int, kind: int) -> str:
    if not word:
        return word
    index = position % len(word)
    if kind == 0:
        return word[:index] + word[index + 1 :]
    if kind == 1 and index + 1 < len(word):
        return word[:index] + word[index + 1] + word[index] + word[index + 2 :]
    return word[:index] + word[index].upper() + word[index:]


def _form_values(form: Form, picks: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    supply = iter(picks)
    for item in form.fields:
        value = next(supply, "")
        if item.kind is FormFieldKind.CHOICE and item.choices and value == "":
            value = item.choices[0][1]
        values[item.name] = value
    return values


wild_text = st.text(st.characters(exclude_categories=()), max_size=40)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    phrases: tuple[str, ...]
    usages: dict[str, str]
    audiences: dict[str, Audience]


def compose(
    sweep: Sweep, words: Vocabulary, seed: int, wild: Sequence[str]
) -> tuple[str, str | Call]:
    """One step: who speaks, and what they send.

    Hypothesis draws a seed and a few arbitrary texts; the seed picks the shape of the step.
    (Drawing every choice from Hypothesis directly makes it explore near-copies of one
    example, and what it draws must not depend on the buttons on offer, which is state
    outside it; a seeded `Random` avoids both.)"""
    # Hypothesis draws small and boundary integers often: mixing the texts in keeps two
    # examples that share a seed from being the same step. (A str seed is hashed with
    # SHA-512, the same on every run.)
    rng = random.Random(f"{seed}:{list(wild)!r}")

    def argument() -> str:
        return rng.choice(wild) if wild and rng.random() < 0.25 else rng.choice(EDGES)

    actor = rng.choice(ACTORS)
    if sweep.buttons and rng.random() < 0.25:
        # A button some earlier reply offered, pressed by whoever: often not its owner.
        button = rng.choice(sweep.buttons)
        if button.form is None:
            return actor, button.call or button.command
        picks = [argument() for _ in button.form.fields]
        values = _form_values(button.form, picks)
        return actor, button.form.call_for(values)
    phrase = rng.choice(words.phrases)
    audience = words.audiences.get(phrase, Audience.EVERYONE)
    if audience is not Audience.EVERYONE and rng.random() < 0.8:
        # Mostly someone allowed to, so the command gets past the role check to its parsing.
        actor = ADMIN if audience is Audience.ADMIN or rng.random() < 0.3 else LEAD
    way = rng.randrange(10)
    if way <= 5:
        shape = rng.choice(_shapes(words.usages.get(phrase, "")) or [phrase])
        if not shape.lower().startswith(phrase):
            shape = f"{phrase} {shape}"
        choices = [rng.randrange(2**16) for _ in range(6)]
        text = _fill(shape, phrase, choices, [argument() for _ in range(6)])
        if rng.random() < 0.3:
            text += " " + " ".join(argument() for _ in range(rng.randrange(1, 3)))
        return actor, text
    if way == 6:
        return actor, f"{_typo(phrase, rng.randrange(50), rng.randrange(3))} {argument()}"
    if way == 7:
        return actor, f"{phrase} {rng.choice(wild) if wild else ''}"
    if way == 8:
        return actor, " ".join(argument() for _ in range(rng.randrange(1, 5)))
    return actor, rng.choice(wild) if wild else argument()


async def _prepare(app: Application) -> None:
    """A member of the Pride Network, and a small session to fill, so waitlists happen."""
    await say(app, "join pride", user=MEMBER)
    joined = await say(app, "agree", user=MEMBER)
    created = await say(
        app,
        "create session pride | title: Fuzz small | when: 19 Dec 2026 10:00 | capacity: 2"
        " | confirm: yes",
        user=LEAD,
    )
    assert "joined Pride Network" in joined[0].text
    assert "Created session" in created[0].text
    # Breakout rooms of two on the small session, so picks, cancels and room sizes meet.
    session_id = re.search(r"session ([0-9]+)", created[0].text)
    assert session_id is not None
    rooms = await say(
        app,
        f"breakouts {session_id.group(1)} rounds: 1 | size: 2 | opens: 21 Nov 2026 09:00",
        user=ADMIN,
    )
    assert "Breakout" in rooms[0].text or "breakout" in rooms[0].text, rooms[0].text


async def _check_invariants(database: Database) -> list[str]:
    broken: list[str] = []
    async with database.transaction() as session:
        items = (await session.scalars(select(NetworkSession))).all()
        for item in items:
            rows = (
                await session.scalars(
                    select(SessionRegistration).where(SessionRegistration.session_id == item.id)
                )
            ).all()
            registered = [row for row in rows if row.status == "registered"]
            if item.capacity is not None and len(registered) > item.capacity:
                broken.append(f"session {item.id}: {len(registered)} in {item.capacity} places")
            people = [row.user_id for row in rows]
            if len(people) != len(set(people)):
                broken.append(f"session {item.id}: someone registered twice")
            # Places are given in order of arrival: every position is distinct, so the
            # waitlist, read in position order, is numbered 1, 2, 3... without gaps or ties.
            positions = [row.position for row in rows]
            if len(positions) != len(set(positions)):
                broken.append(f"session {item.id}: two registrations share a position")
        picks = (
            await session.execute(
                select(BreakoutPick.session_id, BreakoutPick.user_id, func.count()).group_by(
                    BreakoutPick.session_id, BreakoutPick.user_id
                )
            )
        ).all()
        for session_id, user_id, _ in picks:
            place = await session.scalar(
                select(SessionRegistration.id).where(
                    SessionRegistration.session_id == session_id,
                    SessionRegistration.user_id == user_id,
                    SessionRegistration.status == "registered",
                )
            )
            if place is None:
                broken.append(f"session {session_id}: user {user_id} picks a room without a place")
    return broken


def _causes(records: Sequence[logging.LogRecord]) -> list[str]:
    """Each distinct error behind an apology, with the deepest line of our own code it passed."""
    causes: dict[str, None] = {}
    for record in records:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            ours = [
                f"{frame.filename}:{frame.lineno}"
                for frame in traceback.extract_tb(error.__traceback__)
                if ".venv" not in frame.filename and "site-packages" not in frame.filename
            ]
            causes[f"{type(error).__name__}: {str(error)[:160]} at {ours[-1:]}"] = None
    return list(causes)


async def test_no_generated_input_gets_the_apology_and_invariants_hold(
    app: Application, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="allybot.errors")
    await _prepare(app)
    sweep = Sweep(app=app, loop=asyncio.get_running_loop())
    for actor in ACTORS:
        for text in ("sessions", "my", "questions", "calendar", "topics 3", "session 3"):
            await asyncio.to_thread(sweep.send, actor, text)
    commands = app.router.commands
    words = Vocabulary(
        phrases=tuple(sorted({name for item in commands for name in (item.phrase, *item.aliases)})),
        usages={command.phrase: command.usage for command in commands},
        audiences={command.phrase: command.audience for command in commands},
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=not SEED,
        deadline=None,
        database=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    @given(seed=st.integers(0, 2**32 - 1), wild=st.lists(wild_text, max_size=3))
    def explore(seed: int, wild: list[str]) -> None:
        sweep.send(*compose(sweep, words, seed, wild))

    if SEED:
        explore = hypothesis.seed(int(SEED))(explore)

    await asyncio.to_thread(explore)
    print(f"fuzz: {sweep.dispatched} inputs, {len(sweep.buttons)} buttons seen")
    broken = await _check_invariants(database)
    assert sweep.dispatched >= EXAMPLES
    assert not sweep.failures, (
        f"{len(sweep.failures)} of {sweep.dispatched} inputs got the apology, e.g. "
        f"{sweep.failures[:10]}; causes: {_causes(caplog.records)}"
    )
    assert not broken, broken


# White space people type between and inside arguments: each single space of a typed
# command may come as any of these.
PADDING = (" ", "  ", "\t", "\n", " \n\t ", "\r\n", "\u00a0")
_SHORT_EDGES = tuple(edge for edge in EDGES if len(edge) <= 300)


def _folded(value: object) -> object:
    return " ".join(value.split()) if isinstance(value, str) else value


def _pad(plain: str, rng: random.Random) -> str:
    return "".join(rng.choice(PADDING) if char == " " else char for char in plain)


def _read(spec: type[Arguments], words: str) -> Arguments | str:
    """The spec parsed from `words`, or the refusal's text (folded) when it is refused."""
    try:
        return spec.parse(words)
    except UserError as refused:
        return " ".join(refused.message.split())


async def test_padding_between_and_inside_arguments_changes_nothing_but_free_text_layout(
    app: Application,
) -> None:
    """For every registered command: its phrase typed in any case across any white space
    still names it, and what its spec reads from padded arguments is what it reads from
    single-spaced ones, except that free text keeps the layout exactly as it was typed."""
    router = app.router
    commands = {
        name: command for command in router.commands for name in (command.phrase, *command.aliases)
    }
    phrases = tuple(sorted(commands))

    @settings(max_examples=max(EXAMPLES, 400), derandomize=not SEED, deadline=None, database=None)
    @given(
        seed=st.integers(0, 2**32 - 1),
        wild=st.lists(wild_text.map(lambda text: " ".join(text.split())), max_size=3),
    )
    def check(seed: int, wild: list[str]) -> None:
        rng = random.Random(f"{seed}:{wild!r}")
        phrase = rng.choice(phrases)
        command = commands[phrase]
        shapes = [
            shape[len(phrase) :].strip() if shape.lower().startswith(phrase) else shape
            for shape in _shapes(command.usage)
        ] or [""]
        choices = [rng.randrange(2**16) for _ in range(6)]
        edges = [rng.choice(wild) if wild and rng.random() < 0.3 else rng.choice(_SHORT_EDGES)]
        plain = " ".join(_fill(rng.choice(shapes), phrase, choices, edges * 6).split(" ")).strip()
        padded = _pad(plain, rng)
        typed_phrase = _pad(
            " ".join(word.upper() if rng.random() < 0.5 else word for word in phrase.split()), rng
        )
        assert router.phrase_of(f"{typed_phrase}{rng.choice(PADDING)}{plain}") == router.phrase_of(
            f"{phrase} {plain}"
        ), (phrase, plain)
        spec = command.arguments
        single, spread = _read(spec, plain), _read(spec, padded)
        if isinstance(single, str) or isinstance(spread, str):
            assert single == spread, (phrase, plain, padded)
            return
        free = spec.free_text
        for item in dataclasses.fields(single):  # type: ignore[arg-type]
            mine, theirs = getattr(single, item.name), getattr(spread, item.name)
            assert _folded(mine) == _folded(theirs), (phrase, item.name, plain, padded)
            if item.name in free and isinstance(theirs, str):
                # Free text is a piece of what was typed, its lines and spaces as they were.
                assert theirs in padded, (phrase, item.name, padded, theirs)

    check()
