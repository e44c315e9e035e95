"""The forms leads fill in: creating a session, and editing one filled in with what it says now.

The edit form is apart from the lead commands so that the session details everyone sees
(handlers.sessions.browsing) can offer it to the session's leads too.
"""

from __future__ import annotations

from datetime import tzinfo

from bot.messages import Button, Call, Form, FormField, FormFieldKind
from handlers.sessions.common import kind_name
from handlers.sessions.parts import KINDS, MAX_DESCRIPTION, MAX_TEXT, MAX_TITLE
from storage.models import Network, NetworkSession

# The kinds of form this feature builds again from a reference (see `builders`).
CREATE_FORM = "session-create"
EDIT_FORM = "session-edit"


def create_form(networks: list[Network], network: str = "") -> Form:
    """The form for a session in one of `networks`; `network` (a slug) when it was offered
    for that one network, so a platform that builds it again (Slack) offers only that one."""
    return Form(
        id=f"create-session-{network}" if network else "create-session",
        title="Create a session",
        fields=(
            FormField(
                "network",
                "Network",
                FormFieldKind.CHOICE,
                choices=tuple((item.name, item.slug) for item in networks),
            ),
            FormField("title", "Title", max_length=MAX_TITLE),
            FormField("when", "When", placeholder="13 Dec 2026 15:45, or next Tuesday 3pm"),
            FormField("duration", "How long", placeholder="75m, or 3 hours", initial="60m"),
            FormField("where", "Where (a meeting link or a place)", required=False),
            FormField(
                "capacity",
                "Places",
                FormFieldKind.NUMBER,
                required=False,
                placeholder="Leave empty for no limit",
            ),
            FormField(
                "kind",
                "Kind",
                FormFieldKind.CHOICE,
                choices=tuple((kind_name(kind), kind) for kind in dict.fromkeys(KINDS.values())),
                initial="webinar",
            ),
            FormField(
                "invite_only",
                "Open to",
                FormFieldKind.CHOICE,
                choices=(("Everyone", "no"), ("Invited people only", "yes")),
                initial="no",
            ),
            FormField(
                "description",
                "Description or agenda",
                FormFieldKind.MULTILINE,
                required=False,
                max_length=MAX_DESCRIPTION,
            ),
        ),
        call=Call.of("create session"),
        kind=CREATE_FORM,
        params=(("network", network),) if network else (),
        submit_label="Check it",
    )


# A form may travel inside its card or button, so long texts are not copied into it: left
# empty, they stay as they are.
LONGEST_COPIED = {"where": 300, "description": 400}


def edit_form(item: NetworkSession, zone: tzinfo) -> Form:
    """Submitting it calls `edit session <n>` with the parts as values. A value left as it
    was changes nothing, so nobody is told of a move that did not happen; an optional
    field left empty is left out, so it too stays as it is."""
    local = item.starts_at.astimezone(zone)

    def copied(name: str, value: str) -> str:
        return value if len(value) <= LONGEST_COPIED[name] else ""

    def kept(name: str, value: str) -> str:
        return "Leave empty to keep it as it is" if value and not copied(name, value) else ""

    return Form(
        id=f"edit-session-{item.id}",
        title=f"Edit session {item.id}",
        fields=(
            FormField("title", "Title", initial=item.title, max_length=MAX_TITLE),
            FormField("when", "When", initial=f"{local.day} {local:%b %Y %H:%M}"),
            FormField("duration", "How long", initial=f"{item.duration_minutes}m"),
            FormField(
                "where",
                "Where (a meeting link or a place)",
                required=False,
                initial=copied("where", item.location),
                placeholder=kept("where", item.location),
                max_length=MAX_TEXT,
            ),
            FormField(
                "capacity",
                "Places (a number, or none for no limit)",
                required=False,
                initial="none" if item.capacity is None else str(item.capacity),
            ),
            FormField(
                "description",
                "Description or agenda",
                FormFieldKind.MULTILINE,
                required=False,
                initial=copied("description", item.description),
                placeholder=kept("description", item.description),
                max_length=MAX_DESCRIPTION,
            ),
        ),
        call=Call.of("edit session", session=item.id),
        kind=EDIT_FORM,
        params=(("session", str(item.id)),),
        submit_label="Save",
    )


def edit_button(item: NetworkSession, zone: tzinfo) -> Button:
    return Button("Edit session", form=edit_form(item, zone))
