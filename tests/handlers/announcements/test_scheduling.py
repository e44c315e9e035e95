"""Leads schedule announcements, typed or through the form; only they can; mistakes explained."""

from __future__ import annotations

from bot.app import Application
from storage.repositories import AnnouncementRepository, NetworkRepository
from tests.conftest import say_one
from tests.handlers.announcements.support import outbox, press, with_channels


async def test_only_the_networks_own_leads_and_admins_may_announce(app: Application) -> None:
    await with_channels(app)
    member = await say_one(app, "announce pride on 1 Dec 2026 09:00: hi", user="kim")
    assert "is for network leads" in member.text
    other_lead = await say_one(app, "announce pride on 1 Dec 2026 09:00: hi", user="priya")
    assert "Only the Pride Network leads" in other_lead.text
    admin = await say_one(app, "announce pride on 1 Dec 2026 09:00: hi", user="sam")
    assert "Scheduled announcement" in admin.text
    # Another network's lead cannot see, preview or cancel it either, nor learn it exists.
    peek = await say_one(app, "preview announcement 1", user="priya")
    assert "can't find announcement 1" in peek.text
    assert len(await outbox(app)) == 1


async def test_mass_mentions_are_refused_with_a_reason(app: Application) -> None:
    await with_channels(app)
    for text in ("@channel social tonight", "hello @here", "<!everyone> hi"):
        reply = await say_one(app, f"announce pride on 1 Dec 2026 09:00: {text}", user="alex")
        assert "can't post `@channel`, `@here` or `@everyone`" in reply.text
    assert await outbox(app) == []


async def test_mistakes_get_a_specific_helpful_answer(app: Application) -> None:
    past = await say_one(app, "announce pride on 1 Nov 2026 09:00: hi", user="alex")
    assert "has already passed" in past.text
    no_time = await say_one(app, "announce pride on 1 Dec 2026: hi", user="alex")
    assert "What time" in no_time.text
    no_channel = await say_one(app, "announce pride on 1 Dec 2026 09:00: hi", user="alex")
    assert "no announcements channel yet" in no_channel.text
    assert "`channel pride <platform> announcements <channel id>`" in no_channel.text


async def test_a_lead_can_schedule_through_a_form_whose_call_carries_the_values(
    app: Application,
) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "slack", "announcements", "C-FORM")
    offer = await say_one(app, "announce pride", user="alex")
    (button,) = offer.all_buttons
    assert button.form is not None
    call = button.form.call_for({"when": "on 1 Dec 2026 09:00", "text": "Social on Thursday!"})
    assert app.router.words_for(call) == "announce pride on 1 Dec 2026 09:00: Social on Thursday!"
    done = await press(app, call, user="alex")
    assert "Dec" in done.text and "09:00" in done.text
    async with app.database.transaction() as session:
        scheduled = await AnnouncementRepository(session).of_network(pride.id)
    assert [item.text for item in scheduled] == ["Social on Thursday!"]
    refused = await say_one(app, "announce pride", user="robin")
    assert refused.all_buttons == ()
