"""Teams keeps no trace of who last spoke in a shared conversation, in new references or,
after `forget me`, in references stored before that rule."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.app import Application
from storage.database import Database
from storage.erasure import erase_traces
from storage.models import TeamsConversationReference
from storage.repositories import TeamsReferenceRepository
from tests.conftest import NOW
from tests.fakes.teams_connector import mention_message, personal_message
from tests.handlers.test_privacy import everything_stored
from tests.platforms.teams.test_bot import SERVICE_URL, channel, personal


async def _references(app: Application) -> list[tuple[str, str]]:
    async with app.database.transaction() as session:
        rows = await session.execute(
            select(TeamsConversationReference.scope, TeamsConversationReference.reference)
        )
        return [(scope, reference) for scope, reference in rows.all()]


async def test_a_channel_reference_names_nobody_and_forget_me_leaves_no_reference(
    app: Application,
) -> None:
    # The harness speaks as Robin (29:robin, aad-29:robin).
    await channel(app).receive(mention_message(SERVICE_URL, "networks"))
    [(scope, reference)] = await _references(app)
    assert scope == "channel"
    for trace in ("29:robin", "Robin"):
        assert trace not in reference
    me = personal(app)
    await me.receive(personal_message(SERVICE_URL, "hello"))
    await me.receive(personal_message(SERVICE_URL, "forget me confirm"))
    assert [scope for scope, _ in await _references(app)] == ["channel"]
    stored = await everything_stored(app)
    assert "29:robin" not in stored and "robin" not in stored


async def test_forget_me_takes_the_speaker_out_of_references_stored_before(
    database: Database,
) -> None:
    stored = {
        "channelId": "msteams",
        "conversation": {"id": "19:general@thread.tacv2", "isGroup": True},
        "serviceUrl": SERVICE_URL,
        "user": {"id": "29:zed-q", "aadObjectId": "aad-zed-q", "name": "Zedquorn"},
    }
    other = {**stored, "conversation": {"id": "19:other@thread.tacv2"}, "user": {"id": "29:x"}}
    async with database.transaction() as session:
        repository = TeamsReferenceRepository(session)
        for key, reference in (("19:general", stored), ("19:other", other)):
            await repository.put(
                key,
                "channel",
                json.dumps(reference),
                service_url=SERVICE_URL,
                tenant_id="",
                now=NOW,
            )
    async with database.transaction() as session:
        await erase_traces(session, "29:zed-q", "teams:29:zed-q")
    async with database.transaction() as session:
        repository = TeamsReferenceRepository(session)
        general, untouched = await repository.get("19:general"), await repository.get("19:other")
    assert general is not None and untouched is not None
    kept = json.loads(general.reference)
    assert "user" not in kept
    assert kept["conversation"]["id"] == "19:general@thread.tacv2"
    assert json.loads(untouched.reference)["user"] == {"id": "29:x"}
