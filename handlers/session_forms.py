"""The form for editing a session, filled in with what the session says now.

Apart from the lead commands (handlers.session_leads) so that the session details
everyone sees (handlers.sessions) can offer it to the session's leads too.
"""

from __future__ import annotations

from datetime import tzinfo

from bot.messages import Button, Form, FormField, FormFieldKind
from storage.models import NetworkSession

MAX_TITLE = 200
MAX_TEXT = 1000


# A form travels inside its button (Slack allows 2,000 characters there), so long texts
# are not copied into it: left empty, they stay as they are.
LONGEST_COPIED = {"where": 300, "description": 400}


def edit_form(item: NetworkSession, zone: tzinfo) -> Form:
    """Submitting it types `edit session <n> title: … | when: … | …`. A value left as it
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
                max_length=MAX_TEXT,
            ),
        ),
        command=(
            f"edit session {item.id} title: {{title}} | when: {{when}} | duration: {{duration}}"
            "[ | where: {where}][ | capacity: {capacity}][ | description: {description}]"
        ),
        submit_label="Save",
    )


def edit_button(item: NetworkSession, zone: tzinfo) -> Button:
    return Button("Edit session", f"edit session {item.id}", form=edit_form(item, zone))
