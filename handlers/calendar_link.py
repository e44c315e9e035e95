"""The phrase of `calendar link` (registered by `handlers.calendar_feed`) and the button that
calls it, for every feature that offers a network's calendar (`calendar`, `network <name>`).
Apart from the calendar feed so that the networks module, which the feed imports, can
offer it too."""

from __future__ import annotations

from bot.messages import Button, Call
from handlers.pages import item_label
from storage.models import Network

CALENDAR_LINK = "calendar link"


def subscribe_button(network: Network, label: str = "") -> Button:
    """Pressed, it answers privately with `network`'s feed address (never in a channel)."""
    return Button(
        label or item_label("Subscribe", network.name),
        call=Call.of(CALENDAR_LINK, network=network.slug),
    )
