"""Where a reply's files are offered: the personal chat, whichever conversation asked.

The FileConsentCard works only in a personal chat, and files hold personal data, so from
a channel or group chat they go to the person's personal chat (opened proactively if
need be) and the conversation hears only that something was sent there. They are offered
before the reply that mentions them is sent, so a reply never promises a file that was
never offered (`bot.attachments.undelivered` words it when the offer fails).
"""

from __future__ import annotations

from dataclasses import replace

from botbuilder.schema import ConversationReference

from bot.attachments import undelivered
from bot.messages import Attachment, Reply, Request, Visibility
from bot.platforms.teams.references import StoredReference
from bot.platforms.teams.retries import TeamsRefusal
from bot.platforms.teams.sender import TeamsSender

SENT_FILES_PRIVATELY = Reply(
    text="I've sent you the file in our private chat: accept it there to save it.",
    visibility=Visibility.CONVERSATION,
)
NO_PRIVATE_CHAT_FOR_FILES = Reply(
    text=(
        "I couldn't send you the file, because I can't message you privately. Please open a "
        "chat with me (search for allybot in Teams' Apps), say hello, and ask me there."
    ),
    visibility=Visibility.CONVERSATION,
)
# Why the files of a reply the channel sees did not arrive (`undelivered` adds what to do).
NO_PRIVATE_CHAT_WHY = (
    "I can't message you privately yet (open a chat with me: search for allybot in Teams' "
    "Apps and say hello)"
)


async def send_with_files(
    sender: TeamsSender,
    request: Request,
    reply_to: ConversationReference,
    reply: Reply,
    *,
    near: StoredReference,
) -> None:
    """A reply the shared conversation may see whose files go to the person's personal chat:
    offered there first, then the reply, which says they did not come if the offer failed."""
    try:
        personal = await sender.personal_reference(request.person.key, near=near)
        await sender.offer_files(personal, reply.attachments)
    except TeamsRefusal:
        await sender.send(reply_to, undelivered(reply, reply.attachments, NO_PRIVATE_CHAT_WHY))
        return
    await sender.send(reply_to, replace(reply, attachments=()))
    await sender.send(reply_to, SENT_FILES_PRIVATELY)


async def offer_files(
    sender: TeamsSender,
    request: Request,
    reply_to: ConversationReference,
    files: tuple[Attachment, ...],
    *,
    near: StoredReference,
) -> None:
    if not request.conversation.shared:
        await sender.offer_files(reply_to, files)
        return
    try:
        personal = await sender.personal_reference(request.person.key, near=near)
        await sender.offer_files(personal, files)
    except TeamsRefusal:
        await sender.send(reply_to, NO_PRIVATE_CHAT_FOR_FILES)
        return
    await sender.send(reply_to, SENT_FILES_PRIVATELY)
