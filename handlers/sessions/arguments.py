"""What each sessions command a button or a form reaches is given: one spec per command,
parsed from typed words with the grammar people have always typed, or filled from the
values a button or a form carries (see `bot.arguments`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Self

from bot.arguments import Arguments
from bot.errors import UserError
from bot.parser import fold
from handlers.pages import LAST_PAGE_NUMBER, split_page
from handlers.sessions.common import split_session_id
from handlers.sessions.needs import MAX_NEEDS_CHARS
from handlers.sessions.parts import PART_NAMES, Parts, parse_parts

_NEEDS = re.compile(r"\bneeds\s*:", re.IGNORECASE)
_RATING = re.compile(r"^([1-5])(?:\s*/\s*5)?(?:\s+(.*))?$", re.DOTALL)
_NAMED = re.compile(r"(?:^|\s)\(?named\)?$", re.IGNORECASE)
_NEUTRAL_WORDS = frozenset({"private", "neutral", "privately"})


def checked_page(page: int | None) -> int:
    """The page a list asks for (1 when none), refused like a typed `page 0` would be."""
    if page is None:
        return 1
    if not 1 <= page <= LAST_PAGE_NUMBER:
        raise UserError("Pages are numbered from 1, like `page 2`.", field="page")
    return page


def _page_words(page: int | None) -> str:
    return f" page {page}" if page is not None else ""


@dataclass(frozen=True, slots=True)
class SessionNumber(Arguments):
    """`<command> <number>`: anything typed after the number is ignored, as it always was."""

    command: ClassVar[str] = "session"
    session: int

    @classmethod
    def parse(cls, words: str) -> Self:
        session, _ = split_session_id(words, cls.command)
        return cls(session=session)

    def words(self) -> str:
        return str(self.session)


@dataclass(frozen=True, slots=True)
class ShowSession(SessionNumber):
    command: ClassVar[str] = "session"


@dataclass(frozen=True, slots=True)
class CancelPlace(SessionNumber):
    command: ClassVar[str] = "cancel"


@dataclass(frozen=True, slots=True)
class PostponeSession(Arguments):
    """`postpone session <number> to <when>`; `to` is the new time as typed (`to`/`until`
    in front of it is dropped by the handler, so a button's value reads the same)."""

    session: int
    to: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = split_session_id(words, "postpone session")
        return cls(session=session, to=fold(rest))

    def words(self) -> str:
        return f"{self.session} to {self.to}" if self.to else str(self.session)


@dataclass(frozen=True, slots=True)
class CancelSession(Arguments):
    """`cancel session <number> [reason]`: the reason is told to everyone with a place, as
    it was written."""

    free_text: ClassVar[frozenset[str]] = frozenset({"reason"})
    session: int
    reason: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        session, reason = split_session_id(words, "cancel session")
        return cls(session=session, reason=reason)

    def words(self) -> str:
        return f"{self.session} {self.reason}".rstrip()


@dataclass(frozen=True, slots=True)
class Feedback(Arguments):
    """`feedback <number> <1-5> [comment] [named]`. A rating that is missing or not one of
    1 to 5 is refused by the handler, which says how to give one."""

    free_text: ClassVar[frozenset[str]] = frozenset({"comment"})
    session: int
    rating: int | None = None
    comment: str = ""
    named: bool = False

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = split_session_id(words, "feedback")
        found = _RATING.match(rest)
        if found is None:
            return cls(session=session)
        comment = (found.group(2) or "").strip()
        named = _NAMED.search(comment)
        if named is not None:
            comment = comment[: named.start()].strip()
        return cls(session=session, rating=int(found.group(1)), comment=comment, named=bool(named))

    def words(self) -> str:
        named = " named" if self.named else ""
        return f"{self.session} {self.rating or ''} {self.comment}".rstrip() + named


@dataclass(frozen=True, slots=True)
class Register(Arguments):
    """`register <number> [private] [needs: <what you need>]`; `needs` as entered in a form."""

    session: int
    private: bool = False
    needs: str | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        session_id, rest = split_session_id(words, "register")
        needs: str | None = None
        found = _NEEDS.search(rest)
        if found is not None:
            needs = rest[found.end() :].strip()
            rest = rest[: found.start()]
        typed = rest.lower().split()
        unknown = [word for word in typed if word not in _NEUTRAL_WORDS]
        if unknown:
            raise UserError(
                f"I didn't understand “{' '.join(unknown)[:40]}”. Try `register {session_id}`, "
                f"`register {session_id} private` (a neutral title in your calendar) or "
                f"`register {session_id} needs: captions please`."
            )
        return cls(session=session_id, private=bool(typed), needs=needs).checked()

    def checked(self) -> Self:
        if self.needs is not None and len(self.needs) > MAX_NEEDS_CHARS:
            raise UserError(
                f"Please keep access needs under {MAX_NEEDS_CHARS} characters; the organisers "
                "can follow up with you for more.",
                field="needs",
            )
        return self

    def words(self) -> str:
        private = " private" if self.private else ""
        needs = f" needs: {self.needs}" if self.needs is not None else ""
        return f"{self.session}{private}{needs}"


@dataclass(frozen=True, slots=True)
class SessionsList(Arguments):
    """`sessions [<network>] [page <n>]`."""

    network: str = ""
    page: int | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        network, number = split_page(words)
        return cls(network=network, page=number if number > 1 else None)

    def words(self) -> str:
        return f"{self.network}{_page_words(self.page)}".strip()


@dataclass(frozen=True, slots=True)
class MySessions(Arguments):
    """`my sessions [page <n>]`; anything else typed is kept so the handler can refuse it."""

    typed: str = ""
    page: int | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        typed, number = split_page(words)
        return cls(typed=typed, page=number if number > 1 else None)

    def words(self) -> str:
        return f"{self.typed}{_page_words(self.page)}".strip()


@dataclass(frozen=True, slots=True)
class SessionPeople(Arguments):
    """`registrations <number> [page <n>]` and `needs <number> [page <n>]`."""

    command: ClassVar[str] = "registrations"
    session: int
    page: int | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        typed, number = split_page(words)
        session, _ = split_session_id(typed, cls.command)
        return cls(session=session, page=number if number > 1 else None)

    def words(self) -> str:
        return f"{self.session}{_page_words(self.page)}"


@dataclass(frozen=True, slots=True)
class RegistrationsList(SessionPeople):
    command: ClassVar[str] = "registrations"


@dataclass(frozen=True, slots=True)
class NeedsList(SessionPeople):
    command: ClassVar[str] = "needs"


def _parts_words(arguments: object) -> str:
    """`key: value` parts joined by ` | `, the way a lead types them."""
    pieces = []
    for name in PART_NAMES:
        value = getattr(arguments, name)
        if value is not None:
            pieces.append(f"{'invite only' if name == 'invite_only' else name}: {value}")
    return " | ".join(pieces)


@dataclass(frozen=True, slots=True)
class SessionParts(Parts, Arguments):
    """The session's parts (`Parts`, the one list of them) as a spec. From a form, each value
    is exactly what was entered (an optional field left empty is not given)."""

    labels: ClassVar[dict[str, str]] = {"invite_only": "open to", "when": "when it starts"}
    free_text: ClassVar[frozenset[str]] = frozenset({"description"})

    def parts(self) -> Parts:
        return self


@dataclass(frozen=True, slots=True)
class CreateSession(SessionParts):
    """`create session <network> | title: … | when: … | …`, or the create form's values;
    `draft` is a saved draft's id, which a Create button carries for a long one."""

    network: str = ""
    draft: int | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        network, parts = parse_parts(words)
        return cls(network=network, **{name: getattr(parts, name) for name in PART_NAMES})

    def words(self) -> str:
        return " | ".join(filter(None, (self.network, _parts_words(self))))


@dataclass(frozen=True, slots=True)
class EditSession(SessionParts):
    """`edit session <number> key: value | …`, or the edit form's values; `before` is what
    was typed ahead of the first part (refused: it is no part)."""

    session: int = 0
    before: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = split_session_id(words, "edit session")
        before, parts = parse_parts(rest)
        return cls(
            session=session, before=before, **{name: getattr(parts, name) for name in PART_NAMES}
        )

    def words(self) -> str:
        return " ".join(filter(None, (str(self.session), self.before, _parts_words(self))))


_ATTENDEES_OF = re.compile(r"(?:everyone who )?(?:attendees of|attended)\s+#?([0-9]{1,9})$")
_EVERYONE = frozenset({"all", "everyone"})


def person_refs(people: str) -> list[str]:
    """The people named in one value: ids or mentions, separated by spaces or commas (a
    multi-select's ticked values arrive joined by commas)."""
    return [ref for ref in re.split(r"[\s,]+", people) if ref]


@dataclass(frozen=True, slots=True)
class Invite(Arguments):
    """`invite <number> <person…>` or `invite <number> attendees of <number>`; from the
    invite form, the session chosen, the people entered and the earlier session chosen."""

    labels: ClassVar[dict[str, str]] = {"attendees_of": "earlier session"}
    session: int
    people: str = ""
    attendees_of: int | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = split_session_id(words, "invite")
        earlier = _ATTENDEES_OF.fullmatch(rest)
        if earlier is not None:
            return cls(session=session, attendees_of=int(earlier.group(1)))
        return cls(session=session, people=rest)

    def words(self) -> str:
        if self.attendees_of is not None:
            return f"{self.session} attendees of {self.attendees_of}"
        return f"{self.session} {' '.join(person_refs(self.people))}".rstrip()


@dataclass(frozen=True, slots=True)
class Attended(Arguments):
    """`attended <number> <person…>` or `attended <number> all`; from the attendance form,
    the people ticked (`all` among them for everyone who had a place). With nobody named,
    the answer is the form that asks who. The form sets `exactly`: the people ticked are
    all who attended among those it showed (up to place `shown_through`), so someone it
    showed unticked is no longer marked (typing only adds)."""

    session: int
    people: str = ""
    exactly: bool = False
    shown_through: int | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = split_session_id(words, "attended")
        return cls(session=session, people=rest)

    @property
    def everyone(self) -> bool:
        return any(ref.lower() in _EVERYONE for ref in person_refs(self.people))

    def words(self) -> str:
        named = "all" if self.everyone else " ".join(person_refs(self.people))
        return f"{self.session} {named}".rstrip()


@dataclass(frozen=True, slots=True)
class Recording(Arguments):
    """`recording <number> <link>`, or the recording form's session and link."""

    labels: ClassVar[dict[str, str]] = {"url": "the recording's link"}
    session: int
    url: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = split_session_id(words, "recording")
        return cls(session=session, url=rest)

    def words(self) -> str:
        return f"{self.session} {self.url}".rstrip()
