"""The platform's side of bot.outbound.Messenger for Teams: private messages, and what
it can say about channels (bots cannot add people to them)."""

from __future__ import annotations

from urllib.parse import quote

from bot.outbound import ChannelInvite, InviteOutcome, InviteResult, Notice
from bot.platforms.teams.requests import PLATFORM
from bot.platforms.teams.sender import TeamsSender


def channel_link(channel_ref: str) -> str:
    """A deep link to a Teams channel, where the id looks like one."""
    if not channel_ref.startswith("19:"):
        return ""
    return f"https://teams.microsoft.com/l/channel/{quote(channel_ref, safe='')}/channel"


INVITE_FIX = (
    "Teams does not let bots add people to channels: add them in Teams (the team's ⋯ menu → "
    "Add member, or the channel's ⋯ menu → Manage channel for a private channel)."
)


class TeamsMessenger:
    """The platform's side of bot.outbound.Messenger for Teams."""

    def __init__(self, sender: TeamsSender) -> None:
        self.sender = sender

    async def send_private(self, notice: Notice) -> None:
        platform, _, user = notice.recipient_key.partition(":")
        if platform != PLATFORM or not user:
            raise ValueError(f"not a Teams person: {notice.recipient_key!r}")
        await self.sender.send_private(notice.recipient_key, notice.reply)

    async def invite(self, invite: ChannelInvite) -> InviteResult:
        return InviteResult(
            InviteOutcome.NOT_POSSIBLE, link=channel_link(invite.channel_ref), fix=INVITE_FIX
        )

    async def channel_is_private(self, platform: str, channel_ref: str) -> bool | None:
        """Always None: a channel id (`19:...@thread.tacv2`) and the stored conversation
        reference look the same for standard and private channels, and the Bot Framework
        connector has no call that says which it is. A standard channel is visible to the
        whole team, so the admin is asked to check."""
        return None
