"""The people leads name in their commands: ids as people type them, or Slack mentions."""

from __future__ import annotations

import re

from bot.config import PLATFORMS
from bot.errors import UserError
from bot.inbound import known_person_key
from bot.router import HandlerContext

_MENTION = re.compile(r"^<@([A-Za-z0-9]+)(?:\|[^>]*)?>$")


def person_key(context: HandlerContext, typed: str) -> str:
    """`console:alex`, `slack:U0123` or a Slack mention `<@U0123>` -> a person key."""
    mention = _MENTION.match(typed)
    if mention is not None:
        return known_person_key(f"{context.request.person.platform}:{mention.group(1)}")
    platform, _, external_id = typed.partition(":")
    if platform not in PLATFORMS or not external_id:
        raise UserError(
            f"“{typed[:40]}” isn't a person I can find. Name people as platform:id, like "
            "`slack:U0123ABCD` or `console:alex`."
        )
    return known_person_key(typed)
