"""What leads type to describe a session, read and checked.

A session is described in one line of `key: value` parts separated by `|`:

    create session pride | title: Inclusive spaces | when: 13 Dec 2026 15:45 |
        duration: 75m | where: https://teams.example/meet | capacity: 20 | kind: webinar
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime

from bot.errors import UserError
from bot.numbers import is_number
from bot.router import HandlerContext
from handlers.sessions.dates import parse_duration, parse_end, parse_future, parse_when
from handlers.sessions.person_keys import person_key
from storage.models import NetworkSession
from storage.statuses import SessionKind

MAX_TITLE = 200
MAX_TEXT = 1000
# An agenda may run long; Slack shows up to 3,000 characters in one section of a message.
MAX_DESCRIPTION = 3000


LARGEST_CAPACITY = 5000


KINDS = {
    "webinar": SessionKind.WEBINAR,
    "talk": SessionKind.WEBINAR,
    "training": SessionKind.TRAINING,
    "workshop": SessionKind.TRAINING,
    "social": SessionKind.SOCIAL,
    "train-the-trainer": SessionKind.TRAIN_THE_TRAINER,
    "train the trainer": SessionKind.TRAIN_THE_TRAINER,
    "ttt": SessionKind.TRAIN_THE_TRAINER,
    "other": SessionKind.OTHER,
}
# What people may call each part, mapped to the part.
_KEY_NAMES = {
    "title": "title",
    "name": "title",
    "when": "when",
    "starts": "when",
    "start": "when",
    "date": "when",
    "duration": "duration",
    "length": "duration",
    "ends": "ends",
    "end": "ends",
    "until": "ends",
    "where": "where",
    "location": "where",
    "link": "where",
    "capacity": "capacity",
    "places": "capacity",
    "kind": "kind",
    "type": "kind",
    "invite only": "invite_only",
    "invitation only": "invite_only",
    "by invitation": "invite_only",
    "description": "description",
    "agenda": "description",
    "facilitators": "facilitators",
    "facilitator": "facilitators",
    "deadline": "deadline",
    "register by": "deadline",
    "confirm": "confirm",
}
_KEY = re.compile(
    r"(?:^|\s)("
    + "|".join(re.escape(name) for name in sorted(_KEY_NAMES, key=len, reverse=True))
    + r")\s*:",
    re.IGNORECASE,
)
_KEY_AT_START = re.compile(
    r"^("
    + "|".join(re.escape(name) for name in sorted(_KEY_NAMES, key=len, reverse=True))
    + r")\s*:\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_YES = frozenset({"yes", "y", "true", "on"})
_NO = frozenset({"no", "n", "false", "off"})


@dataclass(frozen=True, slots=True)
class Parts:
    """The `key: value` parts describing a session, unchecked; None is a part not given.

    The one list of the parts: the create and edit commands' specs
    (`handlers.sessions.arguments.SessionParts`) are these fields, so a part added here is
    typed, filled from a form and written back as words with nothing else to change.
    """

    title: str | None = None
    when: str | None = None
    duration: str | None = None
    ends: str | None = None
    where: str | None = None
    capacity: str | None = None
    kind: str | None = None
    invite_only: str | None = None
    description: str | None = None
    facilitators: str | None = None
    deadline: str | None = None
    confirm: str | None = None

    @property
    def given(self) -> list[str]:
        """The parts given, in the order of the fields."""
        return [name for name in PART_NAMES if getattr(self, name) is not None]


PART_NAMES = tuple(item.name for item in fields(Parts))


def parse_parts(text: str) -> tuple[str, Parts]:
    """What comes before the first `key:` (a network name, say) and the parts after it."""
    found = _KEY.search(text)
    if found is None:
        return text.strip(" |"), Parts()
    before = text[: found.start()].strip(" |")
    parts: dict[str, str] = {}
    for chunk in filter(None, (piece.strip() for piece in text[found.start() :].split("|"))):
        match = _KEY_AT_START.match(chunk)
        if match is None:
            raise UserError(
                f"I couldn't tell which part “{chunk[:40]}” is. Start each part with a name "
                "and a colon, like `title: …` or `when: …`, separated by `|`."
            )
        name = _KEY_NAMES[" ".join(match.group(1).lower().split())]
        parts[name] = match.group(2).strip()
    return before, Parts(**parts)


@dataclass(frozen=True, slots=True)
class Changes:
    """Checked values; None means 'not given'."""

    title: str | None = None
    starts_at: datetime | None = None
    duration_minutes: int | None = None
    location: str | None = None
    capacity: int | None = None
    capacity_given: bool = False
    kind: str | None = None
    invite_only: bool | None = None
    description: str | None = None
    facilitators: str | None = None
    deadline: datetime | None = None


def check_parts(
    context: HandlerContext, parts: Parts, current: NetworkSession | None = None
) -> Changes:
    zone = context.services.settings.timezone
    now = context.now
    title = _text(parts.title, "title", MAX_TITLE)
    starts_at = parse_future(parts.when, now, zone) if parts.when is not None else None
    start_for_end = starts_at or (current.starts_at if current else None)
    minutes: int | None = None
    if parts.duration is not None:
        minutes = parse_duration(parts.duration)
    if parts.ends is not None:
        if start_for_end is None:
            raise UserError("Please give `when:` as well as when it ends.", field="when")
        end = parse_end(parts.ends, start_for_end, zone)
        minutes = parse_duration(str(int((end - start_for_end).total_seconds() // 60)))
    capacity = _capacity(parts.capacity) if parts.capacity is not None else None
    kind = None
    if parts.kind is not None:
        kind = KINDS.get(parts.kind.strip().lower())
        if kind is None:
            raise UserError(
                "The kind can be webinar, training, social, train-the-trainer or other.",
                field="kind",
            )
    invite_only = yes_no(parts.invite_only, "invite_only") if parts.invite_only else None
    deadline = None
    if parts.deadline:
        deadline = parse_when(parts.deadline, now, zone, field="deadline")
        start = start_for_end
        if deadline <= now or (start is not None and deadline > start):
            raise UserError(
                "The registration deadline should be in the future and no later than the start.",
                field="deadline",
            )
    return Changes(
        title=title,
        starts_at=starts_at,
        duration_minutes=minutes,
        location=_text(parts.where, "where", MAX_TEXT, allow_empty=True),
        capacity=capacity,
        capacity_given=parts.capacity is not None,
        kind=kind,
        invite_only=invite_only,
        description=_text(parts.description, "description", MAX_DESCRIPTION, allow_empty=True),
        facilitators=_facilitators(context, parts.facilitators),
        deadline=deadline,
    )


def _text(value: str | None, name: str, limit: int, *, allow_empty: bool = False) -> str | None:
    if value is None:
        return None
    if not value and not allow_empty:
        raise UserError(f"The {name} can't be empty.", field=name)
    if len(value) > limit:
        raise UserError(f"Please keep the {name} under {limit} characters.", field=name)
    return value


def _capacity(value: str) -> int | None:
    cleaned = value.strip().lower()
    if cleaned in ("", "none", "no limit", "unlimited", "any"):
        return None
    if not is_number(cleaned) or not 1 <= int(cleaned) <= LARGEST_CAPACITY:
        raise UserError(
            f"The capacity should be a number of places from 1 to {LARGEST_CAPACITY:,}, "
            "or `none` for no limit.",
            field="capacity",
        )
    return int(cleaned)


def yes_no(value: str, name: str) -> bool:
    cleaned = value.strip().lower()
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    raise UserError("Please answer `yes` or `no` there.", field=name)


def _facilitators(context: HandlerContext, value: str | None) -> str | None:
    if value is None:
        return None
    keys = [person_key(context, item.strip()) for item in re.split(r"[,\s]+", value) if item]
    return ",".join(dict.fromkeys(keys))
