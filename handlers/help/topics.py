"""The parts of `help`, grouped the way people think of what they want, not by feature.

A group names the command phrases it explains; a phrase no group names (a feature added
later, say) still shows, so help never hides a command: a leads' or admins' command under
"More" in their group, anyone's under "Everything else". A
phrase named here that is not registered is skipped, which is how the leads' group can
offer `lead` before that command exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.messages import ButtonStyle
from bot.roles import Audience


class HelpTopic(StrEnum):
    """A group's name: what `help <name>` and the group's button (`help`, topic=…) carry."""

    NETWORKS = "networks"
    SESSIONS = "sessions"
    QUESTIONS = "questions"
    DATA = "data"
    LEADING = "leading"
    ADMIN = "admin"
    OTHER = "more"


@dataclass(frozen=True, slots=True)
class Part:
    """Commands under one heading of a group's page (no heading: the group's own)."""

    phrases: tuple[str, ...]
    heading: str = ""


@dataclass(frozen=True, slots=True)
class Start:
    """A button on a group's page for a command that needs nothing typed (`sessions`)."""

    label: str
    phrase: str
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True, slots=True)
class Group:
    topic: HelpTopic
    title: str
    # One line on the first screen: what someone comes here to do.
    blurb: str
    parts: tuple[Part, ...]
    audience: Audience = Audience.EVERYONE
    starts: tuple[Start, ...] = ()
    # Other words people type for it: `help network`, `help privacy`.
    words: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[str, ...]:
        return tuple(phrase for part in self.parts for phrase in part.phrases)


GROUPS: tuple[Group, ...] = (
    Group(
        HelpTopic.NETWORKS,
        "Networks",
        "See the staff networks and how they meet; join one as a member or an ally.",
        (Part(("networks", "network", "join", "agree", "leave")),),
        starts=(Start("See the networks", "networks"), Start("My networks", "my")),
        words=("network", "join", "joining"),
    ),
    Group(
        HelpTopic.SESSIONS,
        "Sessions",
        "Find webinars, trainings and socials; take a place, give feedback, pick a room.",
        (
            Part(
                ("sessions", "session", "my sessions", "register", "cancel", "feedback", "needs"),
                "Sessions",
            ),
            Part(
                (
                    "topics",
                    "pick",
                    "host",
                    "propose",
                    "host topic",
                    "notes",
                    "rename topic",
                    "withdraw topic",
                ),
                "Breakout rooms at socials",
            ),
            Part(("calendar",), "Awareness days, weeks and months"),
            Part(("calendar link",), "A network's sessions in your own calendar"),
        ),
        starts=(
            Start("Upcoming sessions", "sessions"),
            Start("My sessions", "my sessions"),
            Start("Awareness calendar", "calendar"),
        ),
        words=("events", "training", "trainings", "breakout rooms"),
    ),
    Group(
        HelpTopic.QUESTIONS,
        "Ask a question",
        "Ask me anything, or ask a network's leads without giving your name.",
        (Part(("ask", "ask leads", "kb", "welcome")),),
        words=("ask", "ask a question", "question", "knowledge", "knowledge base"),
    ),
    Group(
        HelpTopic.DATA,
        "Your data",
        "See everything I hold about you, withdraw your consent, or have me forget you.",
        (Part(("my", "my data", "withdraw consent", "forget me")),),
        starts=(
            Start("My data", "my data"),
            Start("Forget me", "forget me", ButtonStyle.DANGER),
        ),
        words=("your data", "privacy", "consent"),
    ),
    Group(
        HelpTopic.LEADING,
        "Leading a network",
        "Sessions, invitations, announcements, questions and reports for networks you lead.",
        (
            Part(("lead",)),
            Part(
                (
                    "create session",
                    "edit session",
                    "postpone session",
                    "cancel session",
                    "invite",
                    "attended",
                    "recording",
                    "registrations",
                    "report",
                ),
                "Sessions",
            ),
            Part(("breakouts", "approve topic", "decline topic", "rooms", "place"), "Breakouts"),
            Part(("members", "add lead", "remove lead", "edit network"), "Your network"),
            Part(
                (
                    "announce",
                    "announcements",
                    "preview announcement",
                    "edit announcement",
                    "cancel announcement",
                    "outbox",
                ),
                "Announcements",
            ),
            Part(
                ("questions", "answer", "kb publish", "kb add", "kb edit", "kb retire"),
                "Questions and the knowledge base",
            ),
            Part(
                (
                    "calendar posts",
                    "calendar off",
                    "calendar on",
                    "calendar time",
                    "calendar days",
                    "calendar message",
                    "calendar dates",
                ),
                "Awareness calendar posts",
            ),
        ),
        audience=Audience.LEAD,
        starts=(Start("Lead tasks", "lead"), Start("Questions waiting", "questions")),
        words=("lead", "leads", "leader", "leaders"),
    ),
    Group(
        HelpTopic.ADMIN,
        "Admin",
        "Create, rename and archive networks, and set their channels.",
        (Part(("create network", "rename network", "archive network", "channel")),),
        audience=Audience.ADMIN,
        words=("admins",),
    ),
)

# Commands no group names; the group's parts are filled in by the help screens.
OTHER = Group(
    HelpTopic.OTHER,
    "Everything else",
    "Other things I can do.",
    (),
    words=("everything", "everything else", "other"),
)
# Help explains itself on its first screen, so it belongs to no group.
HELP_PHRASE = "help"


def group_for_words(words: str) -> Group | None:
    """The group `help <words>` asks for, by its name, title or another word for it."""
    wanted = " ".join(words.lower().split())
    for group in (*GROUPS, OTHER):
        if wanted in (group.topic.value, group.title.lower(), *group.words):
            return group
    return None


def group_of_phrase(phrase: str) -> Group:
    for group in GROUPS:
        if phrase in group.phrases:
            return group
    return OTHER
