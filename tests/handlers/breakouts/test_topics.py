"""The `topics` list offers a form to propose and host a topic."""

from __future__ import annotations

from bot.app import Application
from tests.conftest import say_one
from tests.support.breakouts import breakout_session, press


async def test_topics_offers_a_form_to_propose_and_host_a_topic(app: Application) -> None:
    session_id = await breakout_session(app, people=("kim",))
    listed = await say_one(app, f"topics {session_id}", user="kim")
    (form,) = [button.form for button in listed.all_buttons if button.form is not None]
    with_cohost = form.call_for({"title": "Allyship at work", "cohost": "console:lee"})
    assert app.router.words_for(with_cohost) == (
        f"host {session_id} Allyship at work with console:lee"
    )
    alone = form.call_for({"title": "Self-care", "cohost": ""})
    hosted = await press(app, alone, user="kim")
    assert "Self-care" in hosted.text
