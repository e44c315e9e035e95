"""What the router admits from a platform: identities and names it can store.

Every request, typed, pressed or submitted through a form on any platform, passes the
router, which calls `admitted` first. Text is cleaned where it is read (`parser.normalise`);
here the identity is checked, because an id is a key: trimming or cleaning it could merge
two people, so an id the database cannot hold is refused rather than altered.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.errors import UserError
from bot.logs import log_event
from bot.messages import Request
from bot.parser import storable

_log = logging.getLogger("allybot.inbound")

# `users.external_id` is String(255); person keys (`platform:id`, String(300)) then fit too.
MAX_PERSON_ID_CHARS = 255
# `users.display_name` is String(255).
MAX_DISPLAY_NAME_CHARS = 255
# The longest column a conversation id is stored in (Teams references, String(400)).
MAX_CONVERSATION_ID_CHARS = 400

REFUSAL = (
    "Sorry, I can't work with the account this message came from: its id is not one I "
    "can store. Please tell your network's contact, who can ask the bot's operators."
)


def _refuse(reason: str, platform: str, length: int) -> UserError:
    # One line for the operator, with no id in it (an over-long id could be anything).
    log_event(
        _log, logging.WARNING, "request_refused", reason=reason, platform=platform, length=length
    )
    return UserError(REFUSAL)


def display_name(name: str) -> str:
    """A platform's display name as it can be stored: cleaned and bounded (it is cosmetic)."""
    return storable(name).strip()[:MAX_DISPLAY_NAME_CHARS]


def storable_id(value: str, limit: int = MAX_PERSON_ID_CHARS) -> bool:
    """Whether a platform id (a person's, a conversation's) can be stored as it is."""
    return len(value) <= limit and storable(value) == value


def admitted(request: Request) -> Request:
    """`request` with a storable display name; a UserError if its ids cannot be stored."""
    person = request.person
    if not storable_id(person.id):
        raise _refuse("person_id", person.platform, len(person.id))
    conversation_id = request.conversation.id
    if not storable_id(conversation_id, MAX_CONVERSATION_ID_CHARS):
        raise _refuse("conversation_id", person.platform, len(conversation_id))
    name = display_name(person.display_name)
    if name == person.display_name:
        return request
    return replace(request, person=replace(person, display_name=name))


# `network_channels.channel_ref` is String(255); real Slack and Teams channel ids are far shorter.
MAX_CHANNEL_ID_CHARS = 255


def known_person_key(key: str) -> str:
    """A `platform:id` someone typed (to name a lead, an invitee, a co-host), if it could be
    stored; a kind UserError when the id is longer than any platform gives out."""
    external_id = key.partition(":")[2]
    if len(external_id) > MAX_PERSON_ID_CHARS or storable(key) != key:
        raise UserError(
            f"That id is longer than any I know (up to {MAX_PERSON_ID_CHARS} characters). "
            "Name people as platform:id, like `slack:U0123ABCD` or `console:alex`."
        )
    return key


def known_channel_id(reference: str) -> str:
    """A channel id an admin typed, if it could be stored."""
    if len(reference) > MAX_CHANNEL_ID_CHARS:
        raise UserError(
            f"That channel id is longer than any I know (up to {MAX_CHANNEL_ID_CHARS} "
            "characters). Copy it from the channel's details, like `C0123ABCD`."
        )
    return reference
