"""What a handler is given: the request, its typed arguments, the open transaction, the
person and their roles, and the ways to tell people things once the change is committed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.arguments import Arguments, Words
from bot.messages import Form, Reply, Request
from bot.outbound import Notice
from bot.roles import Roles
from bot.services import Services
from storage.models import User

if TYPE_CHECKING:
    from bot.router import Router

FollowUp = Callable[[], Awaitable[None]]
# Finishes a reply once the request's changes are committed (see `complete_after_commit`).
ReplyStep = Callable[[Reply], Awaitable[Reply]]
A = TypeVar("A", bound=Arguments)


@dataclass(slots=True)
class HandlerContext:
    request: Request
    args: str
    session: AsyncSession
    services: Services
    roles: Roles
    user: User
    router: Router
    notices: list[Notice] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    completions: list[tuple[Reply, ReplyStep]] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    # The command's typed arguments (its `Command.arguments` spec), parsed from the typed
    # words or filled from a call's values; `args` is the typed words themselves.
    arguments: Arguments = field(default_factory=Words)

    @property
    def now(self) -> datetime:
        return self.services.clock.now()

    def given(self, spec: type[A]) -> A:
        """The arguments as the spec the command declared (a TypeError if it declared another)."""
        if not isinstance(self.arguments, spec):
            raise TypeError(f"this command's arguments are {type(self.arguments).__name__}")
        return self.arguments

    def notify(self, recipient_key: str, reply: Reply) -> None:
        """Send `reply` privately to someone once this request's changes are committed."""
        self.notices.append(Notice(recipient_key=recipient_key, reply=reply))
        # Being told something almost always means something of theirs changed.
        self.changed.add(recipient_key)

    def changed_for(self, *person_keys: str) -> None:
        """Say that what these people see about themselves (`my`) changed with this request,
        so platforms that show it unasked (Slack's App Home) can refresh it after the commit."""
        self.changed.update(person_keys)

    def after_commit(self, follow_up: FollowUp) -> None:
        """Run `follow_up` (talking to a platform, say) once this request's changes are committed.

        A failure there is reported through the error funnel; it cannot undo the commit.
        """
        self.follow_ups.append(follow_up)

    def complete_after_commit(self, draft: Reply, step: ReplyStep) -> Reply:
        """Return `draft` from the handler; once the changes are committed, and before anyone
        sees it, `step` turns it into the reply sent.

        For a platform call that must not run inside the transaction (it may wait on a rate
        limit while the database is locked, or act although the commit then fails) but whose
        outcome the one reply has to tell. A step may `notify` people: notices go out after it.
        If the step fails, it is reported and the draft goes out as it is, so the draft must
        be true on its own.
        """
        self.completions.append((draft, step))
        return draft

    async def completed(self, replies: list[Reply]) -> list[Reply]:
        """The replies with each draft finished by its step (run after the commit)."""
        done = list(replies)
        for draft, step in self.completions:
            for index, reply in enumerate(done):
                if reply is draft:
                    try:
                        done[index] = await step(reply)
                    except Exception as error:  # noqa: BLE001 - reported; the true draft stays
                        self.services.funnel.report(error, where="complete-reply")
        return done


HandlerResult = Reply | Sequence[Reply]
Handler = Callable[[HandlerContext], Awaitable[HandlerResult]]
# Builds a form again from its reference's params, for the person now asking (their roles,
# their networks), in a read-only transaction; registered with `Router.add_form`.
FormBuilder = Callable[[HandlerContext, Mapping[str, str]], Awaitable[Form]]


