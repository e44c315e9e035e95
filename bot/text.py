"""Splitting long text for platforms that cap a message or a block."""

from __future__ import annotations

from collections.abc import Callable


def _cut_at_limit(_line: str, limit: int) -> int:
    return limit


def split_lines(text: str, limit: int, cut: Callable[[str, int], int] = _cut_at_limit) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible.

    A single line longer than `limit` is cut where `cut(line, limit)` says, so a platform
    can keep its escapes (Slack's `&amp;`) whole.
    """
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            at = cut(line, limit)
            pieces.append(line[:at])
            line = line[at:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces
