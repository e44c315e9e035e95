"""Leads keep the knowledge base in chat, and people find what they added."""

from __future__ import annotations

from bot.app import Application
from tests.conftest import say_one


async def test_a_lead_adds_an_entry_and_people_find_it(app: Application) -> None:
    added = await say_one(
        app,
        "kb add What is the buddy scheme? | New starters are paired with a colleague for "
        "their first three months.",
        user="alex",
    )
    assert "kb what-is-the-buddy-scheme" in added.text

    reply = await say_one(app, "whats the buddy scheme")
    assert reply.heading == "What is the buddy scheme?"
    assert "added by a network lead" in (reply.context or "")


async def test_an_entry_a_lead_adds_answers_paraphrases_of_its_title(app: Application) -> None:
    await say_one(
        app,
        "kb add Menopause support at work | The Menopause Cafe meets monthly, and your manager "
        "can agree adjustments such as a desk fan or flexible hours.",
        user="alex",
    )

    for question in (
        "is there any help at work for menopause",
        "going through the menopause and struggling at work",
        "im menopausal and finding work hard, is there support",
        "menopuase support",
    ):
        reply = await say_one(app, question)
        assert reply.heading == "Menopause support at work", question


async def test_a_lead_edits_and_retires_shipped_entries(app: Application) -> None:
    await say_one(app, "kb edit privilege answer Privilege, in our words.", user="jo")
    edited = await say_one(app, "what is privilege")
    assert "Privilege, in our words." in edited.text

    await say_one(app, "kb retire privilege", user="jo")
    gone = await say_one(app, "kb privilege")
    assert gone.heading != "Privilege"


async def test_network_entries_are_for_that_networks_leads(app: Application) -> None:
    refused = await say_one(app, "kb retire pride-network", user="priya")
    assert "its leads look after it" in refused.text
    not_a_lead = await say_one(app, "kb add A | B", user="kim")
    assert "is for network leads" in not_a_lead.text
