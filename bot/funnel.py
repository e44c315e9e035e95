"""The one error funnel, shared by request handlers and scheduled jobs.

A `UserError` is the person's to read: its message goes back as it is. Anything else
is a bug or an outage: it is logged once with its traceback and a short reference,
and the person gets an apology quoting that reference, never the traceback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from bot.errors import UserError
from bot.logs import log_event
from bot.messages import Reply
from bot.outbound import Messenger, Notice
from bot.pseudonyms import Pseudonyms
from storage.outage import is_unreachable

_log = logging.getLogger("allybot.errors")

APOLOGY = (
    "Sorry, something went wrong on my side and nothing was changed. "
    "Please try again in a moment; if it keeps happening, tell your network's contact "
    "and quote reference {ref}."
)
# The database being out of reach is an outage, not a bug: no reference to quote, and
# trying again soon is exactly the right thing to do.
UNREACHABLE = "I can't reach my records right now. Please try again in a minute."


def new_reference() -> str:
    return uuid.uuid4().hex[:8]


class ErrorFunnel:
    def __init__(self, pseudonyms: Pseudonyms | None = None) -> None:
        # Whoever logs about a person names them by this deployment's pseudonym.
        self.pseudonyms = pseudonyms or Pseudonyms.ephemeral()

    def reply_for(self, error: BaseException, *, where: str, **ids: Any) -> Reply:
        """The reply a person sees for `error`, after logging what an operator needs."""
        if isinstance(error, UserError):
            log_event(_log, logging.INFO, "user_error", where=where, **ids)
            return Reply(text=error.message, error_field=error.field)
        if is_unreachable(error):
            self.report(error, where=where, **ids)
            return Reply(text=UNREACHABLE)
        ref = self.report(error, where=where, **ids)
        return Reply(text=APOLOGY.format(ref=ref))

    def report(self, error: BaseException, *, where: str, **ids: Any) -> str:
        ref = new_reference()
        if is_unreachable(error):
            # One line per failure, without a traceback: an outage of a minute must not
            # bury the log in identical stacks.
            log_event(
                _log,
                logging.WARNING,
                "database_unreachable",
                ref=ref,
                where=where,
                error=type(error).__name__,
                **ids,
            )
            return ref
        log_event(
            _log,
            logging.ERROR,
            "unexpected_error",
            ref=ref,
            where=where,
            error=type(error).__name__,
            exc_info=error,
            **ids,
        )
        return ref

    async def deliver_each(self, messenger: Messenger, notices: Iterable[Notice]) -> None:
        """Send each notice privately; one that cannot be delivered is reported, not fatal."""
        for notice in notices:
            try:
                await messenger.send_private(notice)
            except Exception as error:  # noqa: BLE001 - one undeliverable notice must not stop the rest
                self.report(
                    error, where="notice", recipient=self.pseudonyms.of(notice.recipient_key)
                )

    async def run_job(self, name: str, job: Callable[[], Awaitable[None]]) -> bool:
        """Run a scheduled job; a failure is reported here, once, and does not stop the scheduler.

        Returns whether the job completed.
        """
        try:
            await job()
        except Exception as error:  # noqa: BLE001 - reported with traceback and a reference
            self.report(error, where=f"job:{name}")
            return False
        return True
