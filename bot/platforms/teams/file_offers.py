"""Where a reply's files are offered: the personal chat, whichever conversation asked.

The FileConsentCard works only in a personal chat, and files hold personal data, so from
a channel or group chat they go to the person's personal chat (opened proactively if
need be) and the conversation hears only that something was sent there.
"""

from __future__ import annotations

from botbuilder.schema import ConversationReference

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
