"""Platform-neutral feature logic. Every command is registered here, explicitly."""

from __future__ import annotations

from bot.router import Router
from handlers import (
    announcements,
    breakouts,
    calendar,
    membership,
    network_admin,
    networks,
    privacy,
    questions,
    session_leads,
    sessions,
)
from handlers import help as help_commands


def register_all(router: Router) -> None:
    """Compose the feature modules into one router. The order is the order `help` shows."""
    networks.register(router)
    membership.register(router)
    sessions.register(router)
    breakouts.register(router)
    session_leads.register(router)
    privacy.register(router)
    network_admin.register(router)
    announcements.register(router)
    calendar.register(router)
    # Also sets the router's fallback: text that is not a command is taken as a question.
    questions.register(router)
    help_commands.register(router)
