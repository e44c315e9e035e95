"""Platform-neutral feature logic. Every command is registered here, explicitly."""

from __future__ import annotations

from bot.router import Router
from handlers import (
    announcements,
    awareness,
    breakouts,
    calendar_feed,
    knowledge,
    lead_tasks,
    members,
    membership,
    network_admin,
    networks,
    privacy,
    questions,
    sessions,
    welcome,
)
from handlers import help as help_commands
from handlers.knowledge.base import KnowledgeBase


def register_all(router: Router) -> None:
    """Compose the feature modules into one router. Within a group of `help` (see
    `handlers/help/topics.py`), commands keep the order they are named there."""
    networks.register(router)
    membership.register(router)
    members.register(router)
    sessions.register(router)
    breakouts.register(router)
    privacy.register(router)
    network_admin.register(router)
    announcements.register(router)
    # Asking and answering questions, and the leads' `kb` commands, read one knowledge base.
    knowledge_base = KnowledgeBase.from_content()
    # Also sets the router's fallback: text that is not a command is taken as a question.
    questions.register(router, knowledge_base)
    knowledge.register(router, knowledge_base)
    awareness.register(router)
    calendar_feed.register(router)
    lead_tasks.register(router)
    help_commands.register(router)
    welcome.register(router)
