"""Adaptive Cards as Teams shows them: checked by Microsoft's own `adaptivecards` renderer
(parse, then `validateProperties`, in node), and read as a person reads them.

The renderer comes from npm: `npm ci --prefix tests/platforms/teams/cardcheck` (CI does it).
Without node or that folder the check skips, saying why, except under CI, where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.platforms.teams.actions import BUTTON_PADDING, ROW_CHARACTERS

CARDCHECK = Path(__file__).resolve().parents[1] / "platforms" / "teams" / "cardcheck"
MAX_ACTIONS = 5


def _missing() -> str:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (CARDCHECK / "node_modules" / "adaptivecards").is_dir():
        return f"the adaptivecards npm package is not installed: npm ci --prefix {CARDCHECK}"
    return ""


def checkable() -> bool:
    """Whether cards can be checked here; under CI they must be (see `_node`)."""
    return not _missing() or bool(os.environ.get("CI"))


def _node() -> str:
    node = shutil.which("node")
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must check the cards, but {missing}")
        pytest.skip(f"cannot check Adaptive Cards: {missing}")
    assert node is not None
    return node


def card_problems(cards: list[dict[str, Any]]) -> list[list[str]]:
    """What the adaptivecards renderer finds wrong with each card, in order."""
    result = subprocess.run(
        [_node(), str(CARDCHECK / "check.js")],
        input=json.dumps(cards),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    problems: list[list[str]] = json.loads(result.stdout)
    return problems


def assert_valid_cards(cards: list[dict[str, Any]]) -> None:
    found = {n: p for n, p in enumerate(card_problems(cards)) if p}
    assert not found, json.dumps(found, indent=1)


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a card, nested cards included, in document order."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def visible_texts(card: dict[str, Any]) -> list[str]:
    """Everything a person can read on a card (forms behind buttons included): block
    texts as they are written, before Markdown escapes are taken out."""
    texts: list[str] = []
    for node in walk(card):
        kind = node.get("type")
        if kind == "TextBlock" or kind == "TextRun":
            texts.append(str(node["text"]))
        elif kind == "FactSet":
            texts.extend(f"{fact['title']} {fact['value']}" for fact in node["facts"])
        elif str(kind).startswith("Action."):
            texts.append(str(node.get("title", "")))
        elif str(kind).startswith("Input."):
            texts.extend(str(node.get(key, "")) for key in ("label", "placeholder"))
    return texts


def action_arrays(card: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Every set of actions in a card: each ActionSet and each card's own `actions`."""
    arrays: list[list[dict[str, Any]]] = []
    for node in walk(card):
        if node.get("type") in ("ActionSet", "AdaptiveCard") and "actions" in node:
            arrays.append(node["actions"])
    return arrays


def input_ids(card: dict[str, Any]) -> list[str]:
    return [str(node["id"]) for node in walk(card) if str(node.get("type")).startswith("Input.")]


def text_blocks(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The top-level blocks of text of a card's body, in reading order."""
    return [e for e in card["body"] if e["type"] in ("TextBlock", "RichTextBlock")]


def assert_reads_well(card: dict[str, Any]) -> None:
    """What the issue asks of every card: speak text, no literal backticks, no more than
    five actions in a set and no more than fit one row with their titles whole, input ids
    unique in the card, and no line breaks left inside one block (Teams would run them
    together)."""
    assert card.get("speak"), "a card without speak text"
    assert "`" not in card["speak"]
    for text in visible_texts(card):
        assert "`" not in text, text
    for actions in action_arrays(card):
        titles = [str(a.get("title", "")) for a in actions]
        assert len(actions) <= MAX_ACTIONS, titles
        # Side by side, Teams cuts every title of a row that is too long for it.
        if len(actions) > 1:
            assert sum(len(t) + BUTTON_PADDING for t in titles) <= ROW_CHARACTERS, titles
    ids = input_ids(card)
    assert len(ids) == len(set(ids)), ids
    for node in walk(card):
        if node.get("type") == "TextBlock":
            assert "\n" not in node["text"], node["text"]
