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
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.arguments import Arguments, Words, checked_values, words_for
from bot.context import FormBuilder, Handler, HandlerContext
from bot.errors import UserError
from bot.inbound import admitted
from bot.logs import log_event
from bot.messages import Call, Form, FormReference, Reply, Request
from bot.parser import (
    MAX_MESSAGE_CHARS,
    PhraseTable,
    cleaned,
    fold,
    looks_mistyped,
    normalise,
    unknown_command_message,
)
from bot.registry import Housekeeping, Job, MySection, Planner, Recogniser, Registry, WebRoute
from bot.roles import Audience, Roles
from bot.services import Services
from storage.models import User
from storage.repositories import DeliveryRepository, NetworkRepository, UserRepository

_log = logging.getLogger("allybot.router")


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
    # How typed words are parsed and a call's values filled (see `bot.arguments`).
    arguments: type[Arguments] = Words
    # False for what platforms ask unprompted (the welcome on opening a tab): it makes no
    # user row, so it never brings back someone who asked to be forgotten.
    makes_user: bool = True
    # True for a command that takes no words: with words after it, its phrase only begins a
    # sentence ("my colleague came out to me"), which goes on as text that is no command.
    alone: bool = False

    @property
    def shown_usage(self) -> str:
        return self.usage or self.phrase


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a request asks for: the command (None for the fallback), the handler, the typed
    words and a way to read the arguments, which runs only once the person is known to be
    allowed the command (so nobody is told how to type a command they may not use)."""

    command: Command | None
    handler: Handler
    args: str
    phrase: str
    read: Callable[[], Arguments]

    def arguments_for(self, roles: Roles) -> Arguments:
        if self.command is not None and not roles.may_use(self.command.audience):
            audience = self.command.audience
            who = "network leads" if audience is Audience.LEAD else "admins"
            raise UserError(
                f"`{self.command.phrase}` is for {who}. If you think you should be able to use "
                "it, ask your network's contact (`networks` lists them)."
            )
        return self.read()


class Router:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._commands: dict[str, Command] = {}
        self._phrases = PhraseTable()
        self._fallback: Handler | None = None
        self._fallback_arguments: type[Arguments] = Words
        self._recognisers: list[Recogniser] = []
        self.registry = Registry()
        self._forms: dict[str, FormBuilder] = {}

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

    def add_route(self, route: WebRoute) -> None:
        """A web route of the feature's own, served by `allybot serve` beside the platforms'."""
        self.registry.web_routes.append(route)

    def add_form(self, kind: str, builder: FormBuilder) -> None:
        """Register how to build forms of `kind` again from a `FormReference`."""
        if kind in self._forms:
            raise ValueError(f"the form {kind!r} is registered twice")
        self._forms[kind] = builder

    def set_fallback(self, handler: Handler, arguments: type[Arguments] = Words) -> None:
        """What runs for text that is not a command (a question, for example); `arguments`
        reads the whole text, white space folded."""
        if self._fallback is not None:
            raise ValueError("a fallback handler is already registered")
        self._fallback = handler
        self._fallback_arguments = arguments

    def add_recogniser(self, recogniser: Recogniser) -> None:
        """Text that is no command but that a feature recognises as its own (a greeting, say)
        goes to that feature before the fallback, and before any "did you mean" guess."""
        self._recognisers.append(recogniser)

    @property
    def commands(self) -> list[Command]:
        return list({command.phrase: command for command in self._commands.values()}.values())

    def command_for(self, phrase: str) -> Command | None:
        return self._commands.get(phrase)

    def phrase_of(self, text: str) -> str | None:
        """The phrase of the command `text` would run, if it names one."""
        match = self._phrases.match(cleaned(text))
        return None if match is None else self._commands[match.phrase].phrase

    def phrase_asked(self, request: Request) -> str | None:
        """The phrase of the command a request (typed or a call) would run, if any."""
        if request.call is None:
            return self.phrase_of(request.text)
        command = self._commands.get(checked_values(request.call).phrase)
        return None if command is None else command.phrase

    def words_for(self, call: Call) -> str:
        """What typing would do the same as `call` (the console shows buttons this way)."""
        command = self._commands.get(checked_values(call).phrase)
        return words_for(command.arguments if command else Words, call)

    async def roles_of(
        self, session: AsyncSession, key: str, led: frozenset[int] | None = None
    ) -> Roles:
        if led is None:  # not read with their user row (`touch_leading`), so read here
            led = frozenset(item.id for item in await NetworkRepository(session).led_by(key))
        return Roles(admin=key in self.services.admins, lead_of=led)

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
            resolved = self._resolve_request(request)
            phrase = resolved.phrase
            ran = await self._run(request, resolved, delivery_key)
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
        return await self._after_commit(context, replies)

    def _pseudonym(self, request: Request) -> str:
        return self.services.pseudonyms.of(request.person.key)

    async def peek(self, request: Request) -> list[Reply]:
        """Run a command that only reads, for a view nobody typed into (Slack's App Home).

        Nothing it does is kept: someone the bot holds nothing about (never met, or just
        forgotten) gets no user row from it, and nobody is told anything.
        """
        phrase = "-"
        try:
            resolved = self._resolve_request(request)
            phrase = resolved.phrase
            async with self.services.database.sessions() as session:
                context = await self._reading(session, request, resolved.args, Words())
                context.arguments = resolved.arguments_for(context.roles)
                result = await resolved.handler(context)
                await session.rollback()
        except Exception as error:  # noqa: BLE001 - the funnel logs it and answers the person
            reply = self.services.funnel.reply_for(
                error, where=f"peek:{phrase}", platform=request.person.platform
            )
            return [reply]
        return [result] if isinstance(result, Reply) else list(result)

    async def build_form(self, request: Request, reference: FormReference) -> Form:
        """The form `reference` names, built for the person in `request` (with their roles)
        in a transaction that keeps nothing; a UserError if it can no longer be built."""
        builder = self._forms.get(reference.kind)
        if builder is None:
            raise UserError("That form is out of date. Ask me again and I'll send a new one.")
        async with self.services.database.sessions() as session:
            context = await self._reading(session, admitted(request), "", Words())
            form = await builder(context, reference.mapping)
            await session.rollback()
        return form

    async def _reading(
        self, session: AsyncSession, request: Request, args: str, arguments: Arguments
    ) -> HandlerContext:
        """A context for work that only reads: nobody unknown gets a user row from it."""
        person = request.person
        now = self.services.clock.now()
        user = await UserRepository(session).get_by_key(person.platform, person.id)
        return HandlerContext(
            request=request,
            args=args,
            session=session,
            services=self.services,
            roles=await self.roles_of(session, person.key),
            # Someone unknown is not added to the session: id 0 is no row's, so every read
            # about them finds nothing.
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
            arguments=arguments,
        )

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

    def _resolve_request(self, request: Request) -> Resolved:
        """What the request asks for. A call's values are only made storable, then fill the
        command's spec; typed text has only its command phrase folded, and the rest is
        parsed by the command's spec exactly as typed."""
        if request.call is not None:
            call = checked_values(request.call)
            command = self._commands.get(call.phrase)
            if command is None:
                raise UserError("That button is out of date. Type `help` to see what I can do.")
            spec = command.arguments
            words = call.mapping.get("text", "") if spec is Words else ""
            fill = partial(spec.fill, call.mapping)
            return Resolved(command, command.handler, words, command.phrase, fill)
        text = cleaned(request.text)
        if not text:
            raise UserError("I didn't catch anything there. Type `help` to see what I can do.")
        if len(text) > MAX_MESSAGE_CHARS:
            raise UserError(
                f"That message is {len(text):,} characters long, which is more than I can read "
                f"(up to {MAX_MESSAGE_CHARS:,}). Could you send a shorter version?"
            )
        match = self._phrases.match(text)
        if match is not None and match.args and self._commands[match.phrase].alone:
            match = None
        if match is not None:
            command = self._commands[match.phrase]
            spec = command.arguments
            # Commands still on `Words` read `context.args` themselves, folded as always.
            words = fold(match.args) if spec is Words else match.args
            return Resolved(
                command, command.handler, words, command.phrase, partial(spec.parse, match.args)
            )
        folded = normalise(text)
        for recogniser in self._recognisers:
            if recogniser.recognises(folded):
                return Resolved(
                    None, recogniser.handler, folded, recogniser.name, partial(Words.parse, folded)
                )
        if self._fallback is not None and not looks_mistyped(self._phrases, folded):
            spec = self._fallback_arguments
            return Resolved(None, self._fallback, folded, "(fallback)", partial(spec.parse, folded))
        raise UserError(unknown_command_message(self._phrases, folded))

    async def _run(
        self, request: Request, resolved: Resolved, delivery_key: str
    ) -> tuple[list[Reply], HandlerContext] | None:
        services = self.services
        async with services.database.transaction() as session:
            if delivery_key and not await DeliveryRepository(session).first_time(
                delivery_key, request.person.platform, services.clock.now()
            ):
                return None
            if resolved.command is not None and not resolved.command.makes_user:
                known = await self._reading(session, request, resolved.args, Words())
                user, roles = known.user, known.roles
            else:
                user, led = await UserRepository(session).touch_leading(
                    request.person.platform,
                    request.person.id,
                    request.person.display_name,
                    services.clock.now(),
                )
                roles = await self.roles_of(session, request.person.key, led)
            context = HandlerContext(
                request=request,
                args=resolved.args,
                session=session,
                services=services,
                roles=roles,
                user=user,
                router=self,
                arguments=resolved.arguments_for(roles),
            )
            result = await resolved.handler(context)
        replies = [result] if isinstance(result, Reply) else list(result)
        return replies, context

    async def _after_commit(self, context: HandlerContext, replies: list[Reply]) -> list[Reply]:
        # Replies are finished first: a step may queue notices (what a failed invite asks
        # the leads to fix), and nothing is sent before the reply is true.
        replies = await context.completed(replies)
        await self.services.deliver(context.notices)
        if context.changed:
            self.services.announce_changes(frozenset(context.changed))
        for follow_up in context.follow_ups:
            await self.services.funnel.run_job("follow-up", follow_up)
        return replies
