"""Knowledge-base entries, and how they are read from `knowledge.toml`.

Ranking lives in `handlers.knowledge.ranking` and text normalisation in
`handlers.knowledge.text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KINDS = ("answer", "term", "resource")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    kind: str
    title: str
    answer: str
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    calendar: str = ""
    network: str = ""
    url: str = ""
    # Where the answer comes from, and the day someone last checked it against that.
    source: str = ""
    checked: dt.date | None = None
    # Added or changed by a lead in chat, rather than shipped.
    local: bool = False


class KnowledgeFormatError(ValueError):
    pass


def _strings(item: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(part, str) for part in value):
        raise KnowledgeFormatError(f"{where}: `{key}` must be a list of strings")
    return tuple(value)


def _checked(item: Mapping[str, Any], where: str) -> dt.date | None:
    value = item.get("checked")
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise KnowledgeFormatError(f"{where}: `checked` must be a date, like 2026-12-01")
    return value


def parse_entries(document: Mapping[str, Any]) -> tuple[Entry, ...]:
    """Typed entries from a parsed `knowledge.toml` (the `[[entry]]` tables)."""
    entries: list[Entry] = []
    seen: set[str] = set()
    for index, item in enumerate(document.get("entry", [])):
        where = f"knowledge entry {item.get('id', index)!s}"
        entry_id = str(item.get("id", "")).strip()
        if not entry_id or entry_id in seen:
            raise KnowledgeFormatError(f"{where}: `id` must be present and unique")
        kind = str(item.get("kind", "answer"))
        if kind not in KINDS:
            raise KnowledgeFormatError(f"{where}: `kind` must be one of {', '.join(KINDS)}")
        seen.add(entry_id)
        entries.append(
            Entry(
                id=entry_id,
                kind=kind,
                title=str(item["title"]).strip(),
                answer=" ".join(str(item.get("answer", "")).split()),
                questions=_strings(item, "questions", where),
                keywords=_strings(item, "keywords", where),
                related=_strings(item, "related", where),
                calendar=str(item.get("calendar", "")),
                network=str(item.get("network", "")),
                url=str(item.get("url", "")),
                source=str(item.get("source", "")).strip(),
                checked=_checked(item, where),
            )
        )
    return tuple(entries)
