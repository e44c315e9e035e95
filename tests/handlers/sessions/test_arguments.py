"""The session parts are listed once (`Parts`): the create and edit specs are those fields,
every form field is one of them, and each spec's typed words read back as the same spec."""

from __future__ import annotations

from dataclasses import fields
from zoneinfo import ZoneInfo

from handlers.sessions.arguments import CreateSession, EditSession
from handlers.sessions.forms import create_form, edit_form
from handlers.sessions.parts import PART_NAMES, Parts
from storage.models import Network, NetworkSession
from tests.conftest import NOW


def test_the_specs_hold_exactly_the_parts_and_their_own_fields() -> None:
    for spec, own in ((CreateSession, {"network", "draft"}), (EditSession, {"session", "before"})):
        assert {item.name for item in fields(spec)} == set(PART_NAMES) | own
        assert issubclass(spec, Parts)


def _session() -> NetworkSession:
    return NetworkSession(
        id=3,
        title="Allyship 101",
        starts_at=NOW,
        duration_minutes=60,
        location="Room 4",
        capacity=None,
        description="",
    )


def test_every_form_field_is_a_field_of_the_spec_it_calls() -> None:
    network = Network(id=1, slug="pride", name="Pride Network")
    forms = (
        (create_form([network]), CreateSession),
        (edit_form(_session(), ZoneInfo("Europe/London")), EditSession),
    )
    for form, spec in forms:
        names = {item.name for item in fields(spec)}
        assert {item.name for item in form.fields} <= names, form.id


def test_every_part_typed_back_as_words_reads_as_the_same_spec() -> None:
    values = {name: f"{name} value" for name in PART_NAMES}
    created = CreateSession(network="pride", **values)
    assert CreateSession.parse(created.words()) == created
    edited = EditSession(session=12, **values)
    assert EditSession.parse(edited.words()) == edited
