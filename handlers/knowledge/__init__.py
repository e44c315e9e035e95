"""The knowledge base: its entries, how questions find them, and the leads' `kb` commands."""

from __future__ import annotations

from bot.router import Audience, Command, Router
from handlers.knowledge.arguments import KbAdd, KbEdit, KbRetire
from handlers.knowledge.base import EntryName, KnowledgeBase
from handlers.knowledge.editing import KnowledgeEditing


def register(router: Router, knowledge: KnowledgeBase | None = None) -> KnowledgeBase:
    knowledge = knowledge or KnowledgeBase.from_content()
    editing = KnowledgeEditing(knowledge)
    for command in (
        Command(
            "kb", knowledge.show_entry, "one knowledge-base entry", "kb <id>", arguments=EntryName
        ),
        Command(
            "kb add",
            editing.kb_add,
            "add a knowledge-base entry",
            "kb add <title> | <answer>",
            Audience.LEAD,
            arguments=KbAdd,
        ),
        Command(
            "kb edit",
            editing.kb_edit,
            "change an entry",
            "kb edit <id> <field> <text>",
            Audience.LEAD,
            arguments=KbEdit,
        ),
        Command(
            "kb retire",
            editing.kb_retire,
            "stop using an entry",
            "kb retire <id>",
            Audience.LEAD,
            arguments=KbRetire,
        ),
    ):
        router.add(command)
    return knowledge
