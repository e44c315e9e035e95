"""Scheduled posts to Teams for the outbox dispatcher, and how a refusal reads to it."""

from __future__ import annotations

from msrest.exceptions import ClientRequestError

from bot.delivery import (
    CANNOT_TELL,
    DeliveryFailed,
    DeliveryTarget,
    EarlierSend,
    PublishResult,
    SendWindow,
    TargetKind,
)
from bot.messages import Reply
from bot.platforms.teams.retries import TeamsRefusal
from bot.platforms.teams.sender import TeamsSender


def delivery_failure(refusal: TeamsRefusal) -> DeliveryFailed:
    """The outbox's view of a refusal: retry later if Teams was only busy, else tell a lead."""
    reason = refusal.code or f"http_{refusal.status}"
    if refusal.transient:
        return DeliveryFailed(reason, retry_after=refusal.retry_after)
    return DeliveryFailed(reason, permanent=True, fix=refusal.fix)


class TeamsPublisher:
    """Scheduled posts for the outbox dispatcher (bot.delivery.ChannelPublisher)."""

    def __init__(self, sender: TeamsSender) -> None:
        self.sender = sender

    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        try:
            if target.kind is TargetKind.PERSON:
                ids = await self.sender.send_private(target.ref, reply)
                return PublishResult(message_id=ids[0] if ids else "")
            return PublishResult(await self.sender.post_to_channel(target.ref, reply, outbox_id))
        except TeamsRefusal as refusal:
            raise delivery_failure(refusal) from None
        except ClientRequestError as error:
            raise DeliveryFailed(f"connection: {type(error).__name__}") from None

    async def update(self, target: DeliveryTarget, message_id: str, reply: Reply) -> PublishResult:
        """Edit a channel post in place (bot.delivery.UpdatingPublisher)."""
        if target.kind is not TargetKind.CHANNEL:
            # A person's target is their key, not a conversation: nothing to address an edit to.
            raise DeliveryFailed(
                "cannot_update",
                permanent=True,
                fix="allybot edits only its channel posts on Teams, not private messages",
            )
        try:
            await self.sender.update_channel_post(target.ref, message_id, reply)
        except TeamsRefusal as refusal:
            raise delivery_failure(refusal) from None
        except ClientRequestError as error:
            raise DeliveryFailed(f"connection: {type(error).__name__}") from None
        return PublishResult(message_id=message_id)

    async def already_posted(
        self, target: DeliveryTarget, outbox_id: int, window: SendWindow
    ) -> EarlierSend:
        """Teams cannot tell (bot.delivery.CheckingPublisher): a bot cannot read back a
        channel's messages without extra Graph permissions, and a post carries no id of ours
        to find it by. So a crash mid-send can duplicate the one post in flight."""
        return CANNOT_TELL
