"""Long lists come a page at a time, within every platform's limits, with a More button that
leads to the next page; leads get the whole list as a CSV file. On both databases."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from bot.app import Application
from bot.messages import Button, Call, Reply
from bot.platforms.slack import render as slack
from bot.platforms.teams import render as teams
from storage.models import (
    Announcement,
    BreakoutTopic,
    Membership,
    NetworkSession,
    SessionRegistration,
    User,
)
from storage.repositories import NetworkRepository
from storage.statuses import RegistrationStatus, TopicStatus
from tests.conftest import NOW, say_one
from tests.support.breakouts import breakout_session
from tests.support.pressing import press_one, typed_for
from tests.support.sessions import add_session, press

TEAMS_LIMIT = 80_000
# Teams shows only the first 5 or 6 buttons of a set.
TEAMS_BUTTONS_SHOWN = 5


async def add_people(app: Application, prefix: str, count: int) -> list[User]:
    async with app.database.transaction() as session:
        people = [
            User(
                platform="console",
                external_id=f"{prefix}{number:04d}",
                display_name=f"Person {prefix}{number:04d}",
                created_at=NOW,
                last_seen_at=NOW,
            )
            for number in range(count)
        ]
        session.add_all(people)
        await session.flush()
        return people


async def add_members(app: Application, count: int) -> None:
    people = await add_people(app, "m", count)
    async with app.database.transaction() as session:
        network = await NetworkRepository(session).by_slug("pride")
        assert network is not None
        session.add_all(
            Membership(
                user_id=person.id,
                network_id=network.id,
                role="ally" if number % 3 == 0 else "member",
                joined_at=NOW,
            )
            for number, person in enumerate(people)
        )


async def add_registrations(
    app: Application, session_id: int, people: list[User], *, needs: str | None = None
) -> None:
    async with app.database.transaction() as session:
        session.add_all(
            SessionRegistration(
                session_id=session_id,
                user_id=person.id,
                status=RegistrationStatus.WAITLISTED
                if number >= 900
                else RegistrationStatus.REGISTERED,
                position=number + 1,
                registered_at=NOW,
                access_needs=None if needs is None else f"{person.external_id}: {needs}",
                needs_delete_after=None if needs is None else NOW + timedelta(days=10),
                created_at=NOW,
            )
            for number, person in enumerate(people)
        )


def _texts(value: Any) -> Iterator[str]:
    """Every `text` string anywhere in a Block Kit structure."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield item
            else:
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _action_sets(value: Any) -> Iterator[list[Any]]:
    if isinstance(value, dict):
        if value.get("type") == "ActionSet":
            yield value["actions"]
        if "actions" in value and value.get("type") == "AdaptiveCard":
            yield value["actions"]
        for item in value.values():
            yield from _action_sets(item)
    elif isinstance(value, list):
        for item in value:
            yield from _action_sets(item)


def assert_fits_every_platform(reply: Reply) -> None:
    """One Slack message and one Teams card, each well within the platform's limits."""
    assert len(reply.text) <= slack.MAX_FALLBACK, len(reply.text)
    [message] = slack.render(reply)
    assert len(message.blocks) <= slack.MAX_BLOCKS_PER_MESSAGE
    for text in _texts(message.blocks):
        assert len(text) <= slack.MAX_TEXT, len(text)
    cards = [item.card for item in teams.render(reply) if item.card is not None]
    assert len(cards) == 1
    assert teams.encoded_size(cards[0]) < TEAMS_LIMIT
    for actions in _action_sets(cards[0]):
        assert len(actions) <= TEAMS_BUTTONS_SHOWN


def more_button(reply: Reply) -> Button | None:
    found = [button for button in reply.all_buttons if button.label == "More"]
    assert len(found) <= 1
    return found[0] if found else None


async def follow(app: Application, button: Button, user: str) -> Reply:
    """What pressing `button` answers: its call dispatched as it is, or its command typed."""
    if button.call is not None:
        return await press(app, button.call, user=user)
    return await say_one(app, button.command, user=user)


async def every_page(app: Application, command: str, user: str) -> list[Reply]:
    """The first page and every page its More buttons lead to, checking each one fits."""
    pages = [await say_one(app, command, user=user)]
    while (more := more_button(pages[-1])) is not None:
        assert len(pages) < 200, "More never stops"
        pages.append(await follow(app, more, user=user))
    for page in pages:
        assert_fits_every_platform(page)
    return pages


def items_of(reply: Reply) -> list[str]:
    """The list lines shown on one page."""
    return [line for line in reply.sections[0].text.splitlines() if line.startswith("• ")]


def csv_rows(reply: Reply, filename: str) -> list[dict[str, str]]:
    [attachment] = [item for item in reply.attachments if item.filename == filename]
    assert attachment.content_type == "text/csv"
    return list(csv.DictReader(io.StringIO(attachment.content)))


def assert_paged_without_repeats(pages: list[Reply], expected: int) -> list[str]:
    shown = [line for page in pages for line in items_of(page)]
    assert len(shown) == expected
    assert len(set(shown)) == expected
    assert len(pages) > 1
    assert more_button(pages[-1]) is None
    assert "end of the list" in pages[-1].text
    # Only the first page carries the file; More does not send it again.
    assert all(not page.attachments for page in pages[1:])
    return shown


async def test_two_thousand_members_come_in_pages_and_the_lead_gets_all_of_them_in_a_csv(
    app: Application,
) -> None:
    await add_members(app, 2000)
    first = await say_one(app, "members pride", user="alex")
    assert "Showing 1-20 of 2,000." in first.text
    assert "`members pride page 2`" in first.text
    more = more_button(first)
    assert more is not None and typed_for(app, more) == "members pride page 2"
    rows = csv_rows(first, "members-pride.csv")
    assert len(rows) == 2000
    assert {row["id"] for row in rows} == {f"m{number:04d}" for number in range(2000)}
    assert sum(row["role"] == "ally" for row in rows) == 667

    pages = await every_page(app, "members pride", user="alex")
    shown = assert_paged_without_repeats(pages, 2000)
    assert {line.split(" — ")[0][2:] for line in shown} == {
        f"Person m{number:04d}" for number in range(2000)
    }
    second = pages[1]
    assert "Showing 21-40 of 2,000." in second.text
    assert not set(items_of(second)) & set(items_of(first))
    # The typed form does what the button does.
    typed = await say_one(app, "Members Pride page 2", user="alex")
    assert items_of(typed) == items_of(second)


async def test_a_thousand_registrations_come_in_pages_and_leads_get_the_csv(
    app: Application,
) -> None:
    session_id = await add_session(app, capacity=900)
    people = await add_people(app, "r", 1000)
    await add_registrations(app, session_id, people)
    pages = await every_page(app, f"registrations {session_id}", user="alex")
    shown = assert_paged_without_repeats(pages, 1000)
    assert shown[0] == "• Person r0000 (console:r0000) — registered"
    assert shown[-1] == "• Person r0999 (console:r0999) — waitlist 100"
    rows = csv_rows(pages[0], f"registrations-session-{session_id}.csv")
    assert len(rows) == 1000
    assert [row["id"] for row in rows] == [f"r{number:04d}" for number in range(1000)]
    assert rows[950]["status"] == "waitlist 51"


async def test_long_access_needs_are_cut_into_pages_by_length_and_leads_get_the_csv(
    app: Application,
) -> None:
    session_id = await add_session(app)
    people = await add_people(app, "n", 45)
    # As long as `register … needs:` accepts: 45 of them are over 45,000 characters.
    await add_registrations(app, session_id, people, needs="x" * 990)
    pages = await every_page(app, f"needs {session_id}", user="alex")
    shown = assert_paged_without_repeats(pages, 45)
    assert all(line.endswith("x" * 990) for line in shown), "a need was cut short"
    rows = csv_rows(pages[0], f"access-needs-session-{session_id}.csv")
    assert [row["id"] for row in rows] == [f"n{number:04d}" for number in range(45)]
    assert all(row["access_needs"] == f"{row['id']}: {'x' * 990}" for row in rows)

    # A facilitator who is not a lead pages through them, but gets no copy as a file.
    await say_one(app, f"edit session {session_id} facilitators: console:kim", user="alex")
    facilitator = await say_one(app, f"needs {session_id}", user="kim")
    assert items_of(facilitator) == items_of(pages[0])
    assert facilitator.attachments == ()


async def test_a_hundred_and_seventy_bookings_in_my_come_in_pages(app: Application) -> None:
    [person] = await add_people(app, "b", 1)
    async with app.database.transaction() as session:
        network = await NetworkRepository(session).by_slug("pride")
        assert network is not None
        sessions = [
            NetworkSession(
                network_id=network.id,
                title=f"Lunch and learn number {number:03d} on allyship at work",
                kind="webinar",
                starts_at=NOW + timedelta(days=1, hours=number),
                duration_minutes=60,
                location="",
                description="",
                created_at=NOW,
            )
            for number in range(170)
        ]
        session.add_all(sessions)
        await session.flush()
        session.add_all(
            SessionRegistration(
                session_id=item.id,
                user_id=person.id,
                status=RegistrationStatus.REGISTERED,
                position=1,
                registered_at=NOW,
                created_at=NOW,
            )
            for item in sessions
        )
    first = await say_one(app, "my", user="b0000")
    assert "Showing 1-10 of 170." in first.text
    assert_fits_every_platform(first)
    # Each booking shown keeps its own Cancel button.
    cancels = [button.call for button in first.all_buttons if button.label.startswith("Cancel")]
    assert cancels == [Call.of("cancel", session=item.id) for item in sessions[:10]]

    pages = [first]
    while (more := more_button(pages[-1])) is not None:
        pages.append(await follow(app, more, user="b0000"))
    for page in pages:
        assert_fits_every_platform(page)
    shown = [
        line
        for page in pages
        for section in page.sections
        if section.heading == "Your sessions"
        for line in section.text.splitlines()
    ]
    assert shown == [line for line in shown if line.startswith("• Lunch and learn")]
    assert [line.split(" number ")[1][:3] for line in shown] == [
        f"{number:03d}" for number in range(170)
    ]
    assert more_button(pages[-1]) is None


async def test_paging_is_typed_too_and_help_says_so(app: Application) -> None:
    await add_members(app, 30)
    help_text = "\n".join(
        [
            (await say_one(app, "help leading", user="alex")).text,
            (await say_one(app, "help sessions", user="alex")).text,
        ]
    )
    for usage in (
        "members <network> [page <n>]",
        "registrations <number> [page <n>]",
        "needs <number> [page <n>]",
        "my sessions [page <n>]",
    ):
        assert usage in help_text
    last = await say_one(app, "members pride page 2", user="alex")
    assert "Showing 21-30 of 30." in last.text
    assert more_button(last) is None
    beyond = await say_one(app, "members pride page 3", user="alex")
    assert "has 2 pages now" in beyond.text
    # Digits that are not ASCII are not a page number (and do not crash).
    odd = await say_one(app, "members pride page ²", user="alex")
    assert "internal" not in odd.text.lower() and "reference" not in odd.text.lower()


async def test_every_upcoming_session_can_be_reached_with_more(app: Application) -> None:
    ids = [
        await add_session(
            app, title=f"Coffee morning {number:02d}", starts_in=timedelta(hours=number + 1)
        )
        for number in range(25)
    ]
    pages = await every_page(app, "sessions pride", user="you")
    assert len(pages) >= 3
    headings = [section.heading for page in pages for section in page.sections if section.heading]
    assert len(headings) == len(set(headings))
    ours = [heading for heading in headings if heading.startswith("Coffee morning")]
    assert ours == [f"Coffee morning {n:02d} (session {i})" for n, i in enumerate(ids)]
    assert "`sessions pride page 2`" in pages[0].text
    assert more_button(pages[-1]) is None


async def test_forty_scheduled_announcements_come_in_pages_with_their_buttons(
    app: Application,
) -> None:
    async with app.database.transaction() as session:
        network = await NetworkRepository(session).by_slug("pride")
        assert network is not None
        session.add_all(
            Announcement(
                network_id=network.id,
                text=f"Weekly notes number {number:02d}. " + "Something to read. " * 20,
                repeat="weekly",
                weekday=number % 7,
                at_time="09:00",
                created_by="console:alex",
                created_at=NOW,
                updated_at=NOW,
            )
            for number in range(40)
        )
    pages = await every_page(app, "announcements pride", user="alex")
    cancels = [
        button.call
        for page in pages
        for button in page.all_buttons
        if button.label.startswith("Cancel announcement ")
    ]
    assert len(cancels) == 40 and len(set(cancels)) == 40
    assert more_button(pages[0]) is not None
    more = more_button(pages[0])
    assert more is not None and more.call is not None
    assert app.router.words_for(more.call) == "announcements pride page 2"


async def test_every_unanswered_question_can_be_reached_with_more(app: Application) -> None:
    asked = 30
    for number in range(asked):
        words = f"question number {number:02d}: " + "how do I support a colleague? " * 6
        draft = await say_one(app, f"ask leads pride {words}", user=f"q{number}")
        [send] = [button for button in draft.all_buttons if button.label.startswith("Send")]
        await press_one(app, send, user=f"q{number}")
    pages = await every_page(app, "questions", user="alex")
    shown = [line for page in pages for line in items_of(page)]
    assert [line.split("question number ")[1][:2] for line in shown] == [
        f"{number:02d}" for number in range(asked)
    ]
    assert more_button(pages[0]) is not None
    assert more_button(pages[-1]) is None


async def test_every_breakout_topic_can_be_reached_with_more(app: Application) -> None:
    session_id = await breakout_session(app, people=("h00",))
    await add_topics(app, session_id, 25)
    pages = await every_page(app, f"topics {session_id}", user="h00")
    headings = [section.heading for page in pages for section in page.sections if section.heading]
    assert [heading.split(" (topic")[0] for heading in headings] == [
        f"Topic {number:02d}" for number in range(25)
    ]
    assert more_button(pages[0]) is not None


async def add_topics(app: Application, session_id: int, count: int) -> None:
    async with app.database.transaction() as session:
        session.add_all(
            BreakoutTopic(
                session_id=session_id,
                title=f"Topic {number:02d}",
                status=TopicStatus.APPROVED,
                created_at=NOW,
                updated_at=NOW,
            )
            for number in range(count)
        )


async def test_every_breakout_room_can_be_reached_with_more(app: Application) -> None:
    session_id = await breakout_session(app)
    await add_topics(app, session_id, 50)
    pages = await every_page(app, f"rooms {session_id}", user="alex")
    rooms = [
        section.heading
        for page in pages
        for section in page.sections
        if section.heading and section.heading.startswith("Room ")
    ]
    assert [room.split(": ", 1)[1] for room in rooms] == [
        f"Topic {number:02d}" for number in range(50)
    ]
    assert more_button(pages[0]) is not None
