"""The attendance tick form through the real Bolt app and the fake Slack Web API, for a
session with more people than the form can list: it says how many it shows, saves exactly
what is ticked among those, leaves everyone it did not show as they were, may be submitted
with nobody ticked, and names people as Slack's directory does."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.app import Application
from handlers.sessions.lead_forms import MAX_PEOPLE_CHOICES
from storage.models import SessionRegistration, User
from storage.repositories import NetworkRepository
from storage.statuses import RegistrationStatus
from tests.conftest import NOW
from tests.fakes.slack_api import SlackHarness, slack_harness
from tests.support.platform_buttons import slack_buttons, slack_click, slack_submission
from tests.support.sessions import add_session

LEAD = "U100"
HOLDERS = 105


async def past_session_held_by(app: Application, count: int, *, attended: bool) -> int:
    """A Pride session that started yesterday, with `count` Slack people holding a place
    (U3000, U3001, ... in order of arrival), none of whom came with a name."""
    session_id = await add_session(app, title="Big basics", starts_in=timedelta(days=-1))
    async with app.database.transaction() as session:
        pride = await NetworkRepository(session).by_slug("pride")
        assert pride is not None
        await NetworkRepository(session).add_lead(pride.id, f"slack:{LEAD}", NOW)
        for n in range(count):
            user = User(
                platform="slack", external_id=f"U{3000 + n}", created_at=NOW, last_seen_at=NOW
            )
            session.add(user)
            await session.flush()
            session.add(
                SessionRegistration(
                    session_id=session_id,
                    user_id=user.id,
                    status=RegistrationStatus.REGISTERED,
                    position=n + 1,
                    registered_at=NOW,
                    attended=attended,
                    created_at=NOW,
                )
            )
    return session_id


async def attended_ids(app: Application, session_id: int) -> set[str]:
    async with app.database.transaction() as session:
        rows = await session.scalars(
            select(User.external_id)
            .join(SessionRegistration, SessionRegistration.user_id == User.id)
            .where(
                SessionRegistration.session_id == session_id,
                SessionRegistration.attended.is_(True),
            )
        )
        return set(rows.all())


async def open_tick_form(slack: SlackHarness, session_id: int) -> tuple[dict[str, Any], str]:
    """`/ally attended <n>` in the lead's DM, then Tick who attended: the modal, and the text
    of the answer that offered it."""
    await slack.command(f"attended {session_id}", channel="D100", user=LEAD)
    [answer] = await slack.api.wait_for_calls("response_url", 1)
    [tick] = [e for e in slack_buttons(answer.body) if e["text"]["text"] == "Tick who attended"]
    await slack.interaction(
        slack_click(tick["action_id"], tick["value"], slack.api.response_url("tick"))
    )
    [opened] = await slack.api.wait_for_calls("views.open", 1)
    return opened.body["view"], json.dumps(answer.body)


async def submit_ticked(slack: SlackHarness, view: dict[str, Any], ticked: list[str]) -> str:
    """Submit the modal with `ticked` selected; the text of the answer."""
    before = len(slack.api.of("response_url"))
    submitted = slack_submission(view, {})
    chosen = {
        "type": "multi_static_select",
        "selected_options": [{"value": value} for value in ticked],
    }
    submitted["view"]["state"]["values"] = {"people": {"value": chosen}}
    status, text, _ = await slack.interaction(submitted)
    assert status == 200 and text == "", text  # accepted: no field refused
    calls = await slack.api.wait_for_calls("response_url", before + 1)
    return json.dumps(calls[before].body)


def _people_block(view: dict[str, Any]) -> dict[str, Any]:
    [block] = [block for block in view["blocks"] if block["block_id"] == "people"]
    return block


async def test_the_form_unmarks_only_the_people_it_showed(app: Application) -> None:
    past = await past_session_held_by(app, HOLDERS, attended=True)
    everyone = {f"U{3000 + n}" for n in range(HOLDERS)}
    async with slack_harness(app) as slack:
        view, offered = await open_tick_form(slack, past)
        block = _people_block(view)
        values = [option["value"] for option in block["element"]["options"]]
        # "Everyone" and the first 99 to arrive; the form and the answer say it is cut.
        assert values == ["all"] + [f"slack:U{3000 + n}" for n in range(MAX_PEOPLE_CHOICES)]
        assert f"({MAX_PEOPLE_CHOICES} of {HOLDERS} shown)" in block["label"]["text"]
        assert f"first {MAX_PEOPLE_CHOICES} of the {HOLDERS} people" in offered
        kept = [f"slack:U{3000 + n}" for n in range(10)]
        answer = await submit_ticked(slack, view, kept)
    assert "No longer marked as attending: 89 people." in answer
    # The six the form never showed are still marked as attending.
    unshown = {f"U{3000 + n}" for n in range(MAX_PEOPLE_CHOICES, HOLDERS)}
    assert await attended_ids(app, past) == {f"U{3000 + n}" for n in range(10)} | unshown
    assert everyone - await attended_ids(app, past) == {
        f"U{3000 + n}" for n in range(10, MAX_PEOPLE_CHOICES)
    }


async def test_unticking_everyone_is_an_answer(app: Application) -> None:
    past = await past_session_held_by(app, HOLDERS, attended=True)
    async with slack_harness(app) as slack:
        view, _ = await open_tick_form(slack, past)
        assert _people_block(view)["optional"] is True
        answer = await submit_ticked(slack, view, [])
    assert "Marked nobody as attending Big basics." in answer
    assert f"No longer marked as attending: {MAX_PEOPLE_CHOICES} people." in answer
    assert await attended_ids(app, past) == {
        f"U{3000 + n}" for n in range(MAX_PEOPLE_CHOICES, HOLDERS)
    }


async def test_someone_registered_after_the_form_was_offered_is_left_as_they_were(
    app: Application,
) -> None:
    past = await past_session_held_by(app, 3, attended=False)
    async with slack_harness(app) as slack:
        view, offered = await open_tick_form(slack, past)
        assert "shown)" not in _people_block(view)["label"]["text"] and "first" not in offered
        # A late arrival marked (typed) while the modal is open is not unmarked by it.
        async with app.database.transaction() as session:
            user = User(platform="slack", external_id="U3999", created_at=NOW, last_seen_at=NOW)
            session.add(user)
            await session.flush()
            session.add(
                SessionRegistration(
                    session_id=past,
                    user_id=user.id,
                    status=RegistrationStatus.REGISTERED,
                    position=4,
                    registered_at=NOW,
                    attended=True,
                    created_at=NOW,
                )
            )
        answer = await submit_ticked(slack, view, ["slack:U3000"])
    assert "Marked 1 person as attending Big basics." in answer
    assert "No longer marked" not in answer
    assert await attended_ids(app, past) == {"U3000", "U3999"}


async def test_people_are_named_as_slack_names_them(app: Application) -> None:
    past = await past_session_held_by(app, 2, attended=False)
    async with slack_harness(app) as slack:
        slack.api.user("U3000", display_name="Robin")
        slack.api.user("U3001", real_name="Sam Okafor")
        view, _ = await open_tick_form(slack, past)
    labels = [option["text"]["text"] for option in _people_block(view)["element"]["options"]]
    assert labels == ["Everyone who had a place", "Robin", "Sam Okafor"]
