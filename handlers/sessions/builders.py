"""The sessions forms built again from a reference (`Router.add_form`), for the person now
opening them: each checks, as the command would, that they may use it."""

from __future__ import annotations

from collections.abc import Mapping

from bot.errors import UserError
from bot.messages import Form
from bot.router import HandlerContext
from handlers.sessions.common import led_session_numbered, load_session
from handlers.sessions.creating import led_networks
from handlers.sessions.forms import create_form, edit_form
from handlers.sessions.needs import needs_form
from storage.statuses import SessionStatus


def _session_id(params: Mapping[str, str]) -> int:
    try:
        return int(params["session"])
    except (KeyError, ValueError):
        raise UserError("That form is out of date. Ask me again and I'll send a new one.") from None


async def build_create_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    led = await led_networks(context)
    if not led:
        raise UserError("`create session` is for network leads.")
    wanted = params.get("network", "")
    if not wanted:
        return create_form(led)
    chosen = [network for network in led if network.slug == wanted]
    if not chosen:
        raise UserError("You no longer lead that network, so you can't create its sessions.")
    return create_form(chosen, wanted)


async def build_edit_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    item = await led_session_numbered(context, _session_id(params))
    if item.status != SessionStatus.SCHEDULED:
        raise UserError(f"Session {item.id} was cancelled, so it can't be changed.")
    return edit_form(item, context.services.settings.timezone)


async def build_needs_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    item = await load_session(context, _session_id(params))
    if item.status != SessionStatus.SCHEDULED:
        raise UserError(f"{item.title} was cancelled, so it isn't taking registrations.")
    return needs_form(item.id)
