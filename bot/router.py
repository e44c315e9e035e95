"""Explicit command registration, dispatch and the per-request transaction.

Adapters call `Router.dispatch(request)`, or `dispatch_once` for deliveries a platform
may repeat; feature modules register their commands in one place each (see
`handlers.register_all`). A handler runs inside one database transaction: committed
when it returns, rolled back when it raises, so a refused or failed command never
leaves half its changes behind. Private notices a handler queued are delivered only
after the commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.config import Settings
from bot.errors import UserError
from bot.funnel import ErrorFunnel
from bot.inbound import admitted
from bot.logs import log_event
from bot.messages import Reply, Request
from bot.metrics import Metrics
from bot.outbound import Messenger, Notice
from bot.parser import MAX_MESSAGE_CHARS, PhraseTable, normalise
from bot.pseudonyms import Pseudonyms
from bot.registry import Housekeeping, Job, MySection, Planner, Registry
from bot.roles import Audience, Roles
from storage.database import Database
from storage.models import User
from storage.repositories import DeliveryRepository, NetworkRepository, UserRepository

_log = logging.getLogger("allybot.router")


FollowUp = Callable[[], Awaitable[None]]
# Told, after a commit, the keys of people for whom what `my` shows has changed; it must
# not block (it schedules whatever it does).
ChangeWatcher = Callable[[frozenset[str]], None]


@dataclass(slots=True)
class Services:
    """What handlers share: settings, the database, the clock and the outbound messenger."""

    settings: Settings
    database: Database
    clock: Clock
    messenger: Messenger
    admins: frozenset[str] = frozenset()
    funnel: ErrorFunnel = field(default_factory=ErrorFunnel)
    change_watchers: list[ChangeWatcher] = field(default_factory=list)
    metrics: Metrics = field(default_factory=Metrics)

    @property
    def pseudonyms(self) -> Pseudonyms:
        """How logs name a person (never by their key)."""
        return self.funnel.pseudonyms

    async def deliver(self, notices: Sequence[Notice]) -> None:
        """Send each notice privately; one that cannot be delivered is reported, not fatal."""
        await self.funnel.deliver_each(self.messenger, notices)

    def announce_changes(self, person_keys: frozenset[str]) -> None:
        """Tell each watcher (a platform's overview page, say) whose own view changed."""
        for watcher in list(self.change_watchers):
            try:
                watcher(person_keys)
            except Exception as error:  # noqa: BLE001 - one watcher must not stop the others
                self.funnel.report(error, where="change-watcher")


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
    changed: set[str] = field(default_factory=set)

    @property
    def now(self) -> datetime:
        return self.services.clock.now()

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


HandlerResult = Reply | Sequence[Reply]
Handler = Callable[[HandlerContext], Awaitable[HandlerResult]]


@dataclass(frozen=True, slots=True)
class Command:
    phrase: str
    handler: Handler
    summary: str
    usage: str = ""
    audience: Audience = Audience.EVERYONE
    aliases: tuple[str, ...] = ()
    # False for a step offered by an earlier answer (its button or its words), which
    # `help` need not list.
    listed: bool = True
    # True where even a pseudonym in the log would tie the person to what they did
    # (an anonymous question to the leads): its log line names nobody.
    anonymous: bool = False

    @property
    def shown_usage(self) -> str:
        return self.usage or self.phrase


class Router:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._commands: dict[str, Command] = {}
        self._phrases = PhraseTable()
        self._fallback: Handler | None = None
        self.registry = Registry()

    def add(self, command: Command) -> None:
        for phrase in (command.phrase, *command.aliases):
            key = " ".join(phrase.lower().split())
            if key in self._commands:
                raise ValueError(f"the command {key!r} is registered twice")
            self._commands[key] = command
            self._phrases.add(key)

    def add_planner(self, planner: Planner) -> None:
        self.registry.planners.append(planner)

    def add_job(self, name: str, run: Housekeeping) -> None:
        """A daily housekeeping job (retention, say), run by the scheduler."""
        self.registry.jobs.append(Job(name, run))

    def add_my_part(self, part: MySection) -> None:
        """A feature's part of `my`, shown in the order the parts were added."""
        self.registry.my_parts.append(part)

    def set_fallback(self, handler: Handler) -> None:
        """What runs for text that is not a command (a question, for example)."""
        if self._fallback is not None:
            raise ValueError("a fallback handler is already registered")
        self._fallback = handler

    @property
    def commands(self) -> list[Command]:
        unique: dict[str, Command] = {
            command.phrase: command for command in self._commands.values()
        }
        return list(unique.values())

    def command_for(self, phrase: str) -> Command | None:
        return self._commands.get(phrase)

    def phrase_of(self, text: str) -> str | None:
        """The phrase of the command `text` would run, if it names one."""
        match = self._phrases.match(normalise(text))
        return None if match is None else self._commands[match.phrase].phrase

    async def roles_of(self, session: AsyncSession, person_key: str) -> Roles:
        led = await NetworkRepository(session).led_by(person_key)
        return Roles(
            admin=person_key in self.services.admins,
            lead_of=frozenset(network.id for network in led),
        )

    async def dispatch(self, request: Request) -> list[Reply]:
        """Run the command in `request` and return the replies for the person."""
        replies = await self._dispatch(request, delivery_key="")
        if replies is None:
            raise AssertionError("a delivery without a key cannot have been handled before")
        return replies

    async def dispatch_once(self, request: Request, delivery_key: str) -> list[Reply] | None:
        """`dispatch` for a platform delivery that may come again (a retry, a redelivery).

        The delivery is recorded in the same transaction as what the command changes, so
        however often it arrives, and on whichever replica, it acts once; None means it
        was handled before and the person has had their answer.
        """
        return await self._dispatch(request, delivery_key=delivery_key)

    async def _dispatch(self, request: Request, *, delivery_key: str) -> list[Reply] | None:
        started = time.perf_counter()
        self.services.metrics.mark_received()
        outcome = "ok"
        phrase = "-"
        try:
            request = admitted(request)
            text = normalise(request.text)
            handler, args, phrase = self._resolve(text)
            ran = await self._run(request, handler, args, delivery_key)
            if ran is None:
                outcome = "repeat"
                return None
            replies, context = ran
        except Exception as error:  # noqa: BLE001 - the funnel logs it and answers the person
            outcome = "refused" if isinstance(error, UserError) else "failed"
            reply = self.services.funnel.reply_for(
                error, where=f"command:{phrase}", platform=request.person.platform
            )
            # What failed was rolled back, delivery record and all: record it on its own
            # so a redelivery is not answered a second time.
            if delivery_key and not await self._record_answered(request, delivery_key):
                outcome = "repeat"
                return None
            return [reply]
        finally:
            command = self._commands.get(phrase)
            person = {} if command and command.anonymous else {"person": self._pseudonym(request)}
            log_event(
                _log,
                logging.INFO,
                "request_handled",
                platform=request.person.platform,
                **person,
                command=phrase,
                outcome=outcome,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            self.services.metrics.request_handled(request.person.platform, phrase, outcome)
        await self._after_commit(context)
        return replies

    def _pseudonym(self, request: Request) -> str:
        return self.services.pseudonyms.of(request.person.key)
    async def peek(self, request: Request) -> list[Reply]:
        """Run a command that only reads, for a view nobody typed into (Slack's App Home).

        Nothing it does is kept: someone the bot holds nothing about (never met, or just
        forgotten) gets no user row from it, and nobody is told anything.
        """
        phrase = "-"
        try:
            handler, args, phrase = self._resolve(normalise(request.text))
            async with self.services.database.sessions() as session:
                person = request.person
                now = self.services.clock.now()
                user = await UserRepository(session).get_by_key(person.platform, person.id)
                context = HandlerContext(
                    request=request,
                    args=args,
                    session=session,
                    services=self.services,
                    roles=await self.roles_of(session, person.key),
                    # Someone unknown is not added to the session: id 0 is no row's, so
                    # every read about them finds nothing.
                    user=user
                    or User(
                        id=0,
                        platform=person.platform,
                        external_id=person.id,
                        display_name=person.display_name,
                        created_at=now,
                        last_seen_at=now,
                    ),
                    router=self,
                )
                result = await handler(context)
                await session.rollback()
        except Exception as error:  # noqa: BLE001 - the funnel logs it and answers the person
            reply = self.services.funnel.reply_for(
                error, where=f"peek:{phrase}", platform=request.person.platform
            )
            return [reply]
        return [result] if isinstance(result, Reply) else list(result)

    async def _record_answered(self, request: Request, delivery_key: str) -> bool:
        """Record a refused or failed delivery; True unless it had been handled before."""
        try:
            async with self.services.database.transaction() as session:
                return await DeliveryRepository(session).first_time(
                    delivery_key, request.person.platform, self.services.clock.now()
                )
        except Exception as error:  # noqa: BLE001 - the answer still goes out; this is logged
            # The database is failing too: better a rare second answer than none at all.
            self.services.funnel.report(error, where="record-delivery")
            return True

    def _resolve(self, text: str) -> tuple[Handler, str, str]:
        if not text:
            raise UserError("I didn't catch anything there. Type `help` to see what I can do.")
        if len(text) > MAX_MESSAGE_CHARS:
            raise UserError(
                f"That message is {len(text):,} characters long, which is more than I can read "
                f"(up to {MAX_MESSAGE_CHARS:,}). Could you send a shorter version?"
            )
        match = self._phrases.match(text)
        if match is not None:
            command = self._commands[match.phrase]
            return self._guarded(command), match.args, command.phrase
        if self._fallback is not None and not self._looks_like_a_mistyped_command(text):
            return self._fallback, text, "(fallback)"
        raise UserError(self._unknown_command_message(text))

    def _looks_like_a_mistyped_command(self, text: str) -> bool:
        """A short line whose first words are nearly a command ("netwroks", "jion pride").

        Those get "did you mean" rather than going to the fallback (questions), which
        would otherwise answer a typo with unrelated articles.
        """
        words = text.split(" ")
        if "?" in text or len(words) > 3 or not words[0].isalpha():
            return False
        return self._phrases.suggest(text, limit=1, cutoff=0.75) != []

    def _unknown_command_message(self, text: str) -> str:
        first_word = text.split(" ", 1)[0]
        # Only echo back what was typed when it is short and plain, so nothing odd is repeated.
        shown = f"`{first_word}`" if first_word.isalnum() and len(first_word) <= 30 else "that"
        suggestions = self._phrases.suggest(text, limit=1)
        if suggestions:
            return (
                f"I don't know {shown}. Did you mean `{suggestions[0]}`? "
                "Type `help` to see everything I can do."
            )
        return f"I don't know {shown}. Type `help` to see everything I can do."

    def _guarded(self, command: Command) -> Handler:
        if command.audience is Audience.EVERYONE:
            return command.handler

        async def checked(context: HandlerContext) -> HandlerResult:
            if not context.roles.may_use(command.audience):
                who = "network leads" if command.audience is Audience.LEAD else "admins"
                raise UserError(
                    f"`{command.phrase}` is for {who}. If you think you should be able to use "
                    "it, ask your network's contact (`networks` lists them)."
                )
            return await command.handler(context)

        return checked

    async def _run(
        self, request: Request, handler: Handler, args: str, delivery_key: str
    ) -> tuple[list[Reply], HandlerContext] | None:
        services = self.services
        async with services.database.transaction() as session:
            if delivery_key and not await DeliveryRepository(session).first_time(
                delivery_key, request.person.platform, services.clock.now()
            ):
                return None
            user = await UserRepository(session).touch(
                request.person.platform,
                request.person.id,
                request.person.display_name,
                services.clock.now(),
            )
            context = HandlerContext(
                request=request,
                args=args,
                session=session,
                services=services,
                roles=await self.roles_of(session, request.person.key),
                user=user,
                router=self,
            )
            result = await handler(context)
        replies = [result] if isinstance(result, Reply) else list(result)
        return replies, context

    async def _after_commit(self, context: HandlerContext) -> None:
        await self.services.deliver(context.notices)
        if context.changed:
            self.services.announce_changes(frozenset(context.changed))
        for follow_up in context.follow_ups:
            await self.services.funnel.run_job("follow-up", follow_up)
