"""After a session: the recording link a lead adds, and the feedback people give.

Feedback is anonymous unless its author adds `named`, so it is kept to the hour and its
log line names nobody.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.errors import UserError
from bot.messages import Reply
from bot.router import HandlerContext
from handlers.sessions.arguments import Feedback, Recording
from handlers.sessions.common import (
    ends_at,
    led_session_numbered,
    load_session,
    people,
)
from storage.models import SessionFeedback
from storage.repositories import RegistrationRepository
from storage.statuses import RegistrationStatus, SessionStatus
from storage.types import to_the_hour

MAX_COMMENT_CHARS = 2000


async def feedback(context: HandlerContext) -> Reply:
    given = context.given(Feedback)
    session_id, rating, comment, named = given.session, given.rating, given.comment, given.named
    if rating is None or not 1 <= rating <= 5:
        raise UserError(
            f"Please give a rating from 1 (poor) to 5 (excellent), like `feedback {session_id} "
            "4 Loved the breakout rooms`. Add `named` at the end to put your name to it.",
            field="rating",
        )
    if len(comment) > MAX_COMMENT_CHARS:
        raise UserError(f"Please keep comments under {MAX_COMMENT_CHARS} characters.")
    registrations = RegistrationRepository(context.session)
    item = await load_session(context, session_id)
    registration = await registrations.of(item.id, context.user.id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        raise UserError(
            f"Feedback on {item.title} comes from the people who had a place at it, and I "
            "don't have you down. If you went anyway, tell the organisers directly."
        )
    if item.status != SessionStatus.SCHEDULED:
        raise UserError(f"{item.title} was cancelled, so there's nothing to give feedback on.")
    if context.now < item.starts_at:
        raise UserError(f"{item.title} hasn't happened yet. I'll ask for feedback afterwards.")
    if registration.feedback_given:
        raise UserError(f"You've already given feedback on {item.title}. Thank you!")
    registration.feedback_given = True
    await registrations.add_feedback(
        SessionFeedback(
            session_id=item.id,
            user_id=context.user.id if named else None,
            rating=rating,
            comment=comment,
            # To the hour: an exact time could be matched to when the author was last seen.
            created_at=to_the_hour(context.now),
        )
    )
    who = "with your name" if named else "anonymously"
    recording = f" The recording is here: {item.recording_url}" if item.recording_url else ""
    return Reply(
        text=f"Thank you! I've passed your feedback on to the organisers {who}.{recording}"
    )


def checked_link(url: str) -> str:
    """A recording's link as people can open it: http(s), a host, no spaces."""
    link = url.strip()
    parts = urlsplit(link)
    if parts.scheme not in ("https", "http") or not parts.netloc or any(c.isspace() for c in link):
        raise UserError(
            "Please give the recording's link, starting https://, like "
            "https://video.example/recording.",
            field="url",
        )
    return link


async def recording(context: HandlerContext) -> Reply:
    given = context.given(Recording)
    item = await led_session_numbered(context, given.session)
    link = checked_link(given.url)
    item.recording_url = link
    if context.now < ends_at(item):
        return Reply(
            text=f"Saved. After the session, people who had a place will see the recording "
            f"link with `session {item.id}` and when they give feedback."
        )
    keys = await RegistrationRepository(context.session).registrants(item.id)
    for key in keys:
        context.notify(
            key,
            Reply(
                text=f"The recording of {item.title} is ready: {link}\nHow was it? "
                f"`feedback {item.id} <1-5> [comment]` (anonymous unless you add `named`)."
            ),
        )
    return Reply(text=f"Saved, and sent privately to the {people(len(keys))} who had a place.")
