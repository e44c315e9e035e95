"""Creating a session: checked first, saved only when confirmed, typed or through the form."""

from __future__ import annotations

from bot.app import Application
from tests.conftest import say_one
from tests.support.sessions import press

CREATE = (
    "create session pride | title: Inclusive language at work | when: 13 Dec 2026 15:45 "
    "| duration: 75m | where: https://teams.example/m/1 | capacity: 20 | kind: webinar"
)


async def test_create_echoes_the_session_back_and_saves_only_when_confirmed(
    app: Application,
) -> None:
    preview = await say_one(app, CREATE, user="alex")
    assert "Please check this before I save it" in preview.text
    assert "When: Sun 13 Dec 2026, 15:45 GMT, 1 hour 15 minutes" in preview.text
    assert "Ends: Sun 13 Dec 2026, 17:00 GMT" in preview.text
    assert "Places: 20" in preview.text
    before = await say_one(app, "sessions pride")
    assert "Inclusive language at work" not in before.text
    [create] = preview.buttons
    created = await press(app, create.call, user="alex")
    assert "Created session" in created.text
    listed = await say_one(app, "sessions pride")
    assert "Inclusive language at work" in listed.text
    assert "places: available" in listed.text


async def test_create_understands_relative_dates_and_end_times(app: Application) -> None:
    reply = await say_one(
        app,
        "create session pride title: Coffee morning | when: next Tuesday 10am | ends: 11:30 "
        "| kind: social | confirm: yes",
        user="alex",
    )
    assert "Tue 24 Nov 2026, 10:00 GMT" in reply.text
    session_id = int(reply.text.split("Created session ")[1].split(":")[0])
    details = await say_one(app, f"session {session_id}")
    assert "1 hour 30 minutes" in details.text
    assert "no limit" in details.text


async def test_create_refuses_bad_dates_and_impossible_capacities(app: Application) -> None:
    cases = {
        "| title: T | when: 1 Nov 2026 10:00": "already passed",
        "| title: T | when: 13 Dec 2026 15:45 | ends: 15:00": "end is before the start",
        "| title: T | when: 13 Dec 2026 15:45 | capacity: 0": "from 1 to 5,000",
        "| title: T | when: 13 Dec 2026 15:45 | capacity: 1000000": "from 1 to 5,000",
        "| title: T | when: 13 Dec 2026 15:45 | capacity: lots": "from 1 to 5,000",
        "| title: T | when: 13 Dec 2026 15:45 | duration: 3 days": "couldn't read that length",
        "| title: T | when: someday": "couldn't read that date",
        "| title: T | when: 13 Dec 2026 15:45 | colour: red": "couldn't tell which part",
        "| title: T | when: 13 Dec 2026 15:45 | kind: party": "webinar, training",
        "| title: T": "at least a title and when",
    }
    for parts, says in cases.items():
        reply = await say_one(app, f"create session pride {parts}", user="alex")
        assert says in reply.text, (parts, reply.text)
    assert (
        "couldn't find that network"
        in (
            await say_one(app, "create session prid | title: T | when: tomorrow 10am", user="alex")
        ).text
    )


async def test_only_the_networks_leads_create_its_sessions(app: Application) -> None:
    assert "for network leads" in (await say_one(app, CREATE, user="kim")).text
    assert "Only Pride Network's leads" in (await say_one(app, CREATE, user="priya")).text


async def test_create_offers_a_form_that_produces_the_same_command(app: Application) -> None:
    reply = await say_one(app, "create session", user="alex")
    [button] = reply.all_buttons
    assert button.form is not None
    networks = dict((value, label) for label, value in button.form.fields[0].choices)
    assert set(networks) == {"pride", "neurodiversity"}
    call = button.form.call_for(
        {
            "network": "pride",
            "title": "Pronouns 101",
            "when": "tomorrow 13:00",
            "duration": "45m",
            "kind": "webinar",
            "invite_only": "no",
            "where": "",
            "capacity": "",
            "description": "",
        }
    )
    preview = await press(app, call, user="alex")
    assert "Sun 22 Nov 2026, 13:00 GMT, 45 minutes" in preview.text
