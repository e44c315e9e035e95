"""Platform-neutral feature logic. Every command is registered here, explicitly."""

from __future__ import annotations

from bot.router import Router
from handlers import help as help_commands
from handlers import networks


def register_all(router: Router) -> None:
    """Compose the feature modules into one router. The order is the order `help` shows."""
    networks.register(router)
    help_commands.register(router)
