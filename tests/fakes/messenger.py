"""A messenger that records what handlers asked a platform to do, instead of doing it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.outbound import ChannelInvite, InviteOutcome, InviteResult, Notice


@dataclass(slots=True)
class RecordingMessenger:
    """Keeps what it was asked to do. For tests; `invite_result` sets how invites turn out."""

    sent: list[Notice] = field(default_factory=list)
    invites: list[ChannelInvite] = field(default_factory=list)
    invite_result: InviteResult = field(default_factory=lambda: InviteResult(InviteOutcome.INVITED))
    # channel ref -> whether it is private; a channel not listed is one it cannot tell about.
    channel_privacy: dict[str, bool] = field(default_factory=dict)

    async def send_private(self, notice: Notice) -> None:
        self.sent.append(notice)

    async def invite(self, invite: ChannelInvite) -> InviteResult:
        self.invites.append(invite)
        return self.invite_result

    async def channel_is_private(self, platform: str, channel_ref: str) -> bool | None:
        return self.channel_privacy.get(channel_ref)
