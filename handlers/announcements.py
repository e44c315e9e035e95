"""Lead announcements: scheduled posts into a network's announcement channels.

`announce pride on 1 Dec 2026 09:00: <text>` posts once; `every monday 09:00` and
`every first tuesday 09:00` repeat. Leads list, preview, edit and cancel them, and
see the network's outbox: what is scheduled, sent, late, failed and why. Only the
network's leads (and admins) may post into its channels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import TargetKind
from bot.errors import UserError
from bot.messages import (
    Button,
    Field,
    Form,
    FormField,
    FormFieldKind,
    Reply,
    Section,
    Visibility,
)
from bot.numbers import is_number, parse_id
from bot.outbox import describe_schedule, encode_reply, planned_post_status, replan
from bot.outbox_lease import STUCK_STATUS, stuck_since, stuck_warning
from bot.router import Audience, Command, HandlerContext, Router
from bot.scheduler import PLAN_AHEAD, parse_clock_time, wall_clock
from handlers.awareness_dates import WEEKDAYS
from handlers.networks import find_network, match_network
from handlers.pages import more_section, paginate, split_page
from handlers.session_dates import parse_day
from storage.database import Database
from storage.models import Announcement, Network
from storage.repositories import (
    AnnouncementRepository,
    NetworkRepository,
    OutboxRepository,
    PlannedPost,
)
from storage.statuses import AnnouncementStatus

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
MAX_TEXT = 2500
GRACE = timedelta(hours=6)
# `@channel`, `@here`, `@everyone` and Slack's `<!channel>`-style special mentions.
_MASS_MENTION = re.compile(r"(?i)(?:@(?:channel|here|everyone)\b|<!\w*)")
EXAMPLES = (
    "`announce pride on 1 Dec 2026 09:00: Our next social is on Thursday!`, "
    "`announce pride every monday 09:00: ...` or `announce pride every first tuesday 12:30: ...`"
)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When an announcement goes out, in the configured zone's wall-clock time."""

    repeat: str  # once | weekly | monthly
    at: time
    on: date | None = None
    weekday: int | None = None
    nth: int | None = None

    def describe(self) -> str:
        clock = f"{self.at:%H:%M}"
        if self.repeat == "once" and self.on is not None:
            return f"on {self.on.day} {self.on:%B %Y} at {clock}"
        day = WEEKDAYS[self.weekday or 0].title()
        if self.repeat == "weekly":
            return f"every {day} at {clock}"
        ordinal = next(word for word, n in ORDINALS.items() if n == self.nth)
        return f"on the {ordinal} {day} of each month at {clock}"

    def days_between(self, first: date, last: date) -> list[date]:
        if self.repeat == "once":
            return [self.on] if self.on is not None and first <= self.on <= last else []
        days = []
        day = first
        while day <= last:
            if day.weekday() == self.weekday and (
                self.repeat == "weekly" or _nth_weekday_of_month(day) in (self.nth,)
            ):
                days.append(day)
            day += timedelta(days=1)
        return days


def _nth_weekday_of_month(day: date) -> int:
    """1 for the first such weekday of its month ... and -1 too when it is the last."""
    if (day + timedelta(days=7)).month != day.month:
        return -1
    return (day.day - 1) // 7 + 1


def schedule_of(announcement: Announcement) -> Schedule:
    at = parse_clock_time(announcement.at_time) or time(9)
    on = date.fromisoformat(announcement.on_date) if announcement.on_date else None
    return Schedule(
        announcement.repeat, at, on=on, weekday=announcement.weekday, nth=announcement.nth
    )


# ---------------------------------------------------------------------------
# Reading what a lead typed
# ---------------------------------------------------------------------------


def split_text(typed: str) -> tuple[str, str]:
    """`pride on 1 Dec 09:00: Hello` -> (`pride on 1 Dec 09:00`, `Hello`).

    The colon that starts the text is the first one not inside a time like 09:00.
    """
    for index, char in enumerate(typed):
        if char != ":":
            continue
        inside_time = (
            0 < index < len(typed) - 1 and typed[index - 1].isdigit() and typed[index + 1].isdigit()
        )
        if not inside_time:
            return typed[:index].strip(), typed[index + 1 :].strip()
    return typed.strip(), ""


def parse_schedule(typed: str, today: date) -> Schedule:
    words = typed.lower().replace(",", " ").split()
    if len(words) < 2 or words[0] not in ("on", "every"):
        raise UserError(f"When should it go out? For example {EXAMPLES}.")
    at = parse_clock_time(words[-1])
    if at is None:
        raise UserError(
            "What time should it go out? Put a time like `09:00` just before the colon, "
            f"for example {EXAMPLES}."
        )
    middle = words[1:-1]
    if words[0] == "every":
        if len(middle) == 1 and middle[0].rstrip("s") in WEEKDAYS:
            return Schedule("weekly", at, weekday=WEEKDAYS.index(middle[0].rstrip("s")))
        if len(middle) == 2 and middle[0] in ORDINALS and middle[1] in WEEKDAYS:
            return Schedule(
                "monthly", at, weekday=WEEKDAYS.index(middle[1]), nth=ORDINALS[middle[0]]
            )
        raise UserError(
            "I can repeat an announcement every week on a day (`every monday 09:00`) or "
            "monthly on a weekday (`every first tuesday 09:00`, `every last friday 16:00`)."
        )
    return Schedule("once", at, on=parse_day(" ".join(middle), today))


def check_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise UserError(f"What should the announcement say? Put it after the colon: {EXAMPLES}.")
    if _MASS_MENTION.search(cleaned):
        raise UserError(
            "I can't post `@channel`, `@here` or `@everyone`: a scheduled post that notifies "
            "everyone at once can land at a bad time for people (and can't be taken back). "
            "Please take it out; the announcement channel's own notification settings apply."
        )
    if len(cleaned) > MAX_TEXT:
        raise UserError(
            f"That's {len(cleaned):,} characters; an announcement can be up to {MAX_TEXT:,}. "
            "Could you shorten it, or link to the details?"
        )
    return cleaned


async def take_network(context: HandlerContext, typed: str) -> tuple[Network, str]:
    """The network named at the start of `typed` (up to three words), and the rest."""
    networks = await NetworkRepository(context.session).active()
    tokens = typed.split()
    for length in (3, 2, 1):
        if len(tokens) >= length:
            found = match_network(networks, " ".join(tokens[:length]))
            if found is not None:
                return found, " ".join(tokens[length:])
    network = await find_network(context, tokens[0] if tokens else "")
    return network, " ".join(tokens[1:])


def require_lead(
    context: HandlerContext, network: Network, doing: str = "schedule or change its announcements"
) -> None:
    if not context.roles.leads(network.id):
        raise UserError(
            f"Only the {network.name} leads can {doing}. "
            "If you'd like something posted, ask them (`network "
            f"{network.slug}` shows who to contact)."
        )


# ---------------------------------------------------------------------------
# Planning posts
# ---------------------------------------------------------------------------


def announcement_reply(network: Network, text: str) -> Reply:
    return Reply(
        text=text,
        context=f"Announcement from the {network.name} leads",
        visibility=Visibility.CONVERSATION,
    )


async def plan_announcement(
    session: AsyncSession,
    announcement: Announcement,
    network: Network,
    zone: ZoneInfo,
    now: datetime,
) -> list[PlannedPost]:
    """Write this announcement's posts from now (less the grace period) to the horizon."""
    posts: list[PlannedPost] = []
    window_start = now - GRACE
    if announcement.status == AnnouncementStatus.ACTIVE:
        channels = await OutboxRepository(session).channels_for(network.id, "announcements")
        schedule = schedule_of(announcement)
        first = window_start.astimezone(zone).date()
        last = (now + PLAN_AHEAD).astimezone(zone).date()
        message = encode_reply(announcement_reply(network, announcement.text))
        for day in schedule.days_between(first, last):
            due = wall_clock(day, schedule.at, zone)
            if not window_start <= due <= now + PLAN_AHEAD:
                continue
            for platform, ref in channels.items():
                posts.append(
                    PlannedPost(
                        schedule_key=f"announcement:{announcement.id}:{platform}",
                        occurrence_at=due,
                        due_at=due,
                        network_id=network.id,
                        platform=platform,
                        target_kind=TargetKind.CHANNEL.value,
                        target_ref=ref,
                        message=message,
                    )
                )
    await replan(session, f"announcement:{announcement.id}:", posts, due_from=window_start, now=now)
    return posts


@dataclass(slots=True)
class AnnouncementPlanner:
    """Keeps every active announcement's posts written a few weeks ahead."""

    database: Database
    zone: ZoneInfo
    name: str = "announcements"

    async def plan(self, now: datetime) -> int:
        planned = 0
        async with self.database.transaction() as session:
            for announcement in await AnnouncementRepository(session).active():
                network = await session.get(Network, announcement.network_id)
                if network is None or network.archived_at is not None:
                    continue
                planned += len(
                    await plan_announcement(session, announcement, network, self.zone, now)
                )
        return planned


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


def _zone(context: HandlerContext) -> ZoneInfo:
    return context.services.settings.timezone


async def announce(context: HandlerContext) -> Reply:
    head, text = split_text(context.args)
    if not head:
        raise UserError(f"Which network, when and what? For example {EXAMPLES}.")
    network, when = await take_network(context, head)
    require_lead(context, network)
    if not when and not text:
        return Reply(
            text=f"When should it go out, and what should it say? For example {EXAMPLES}.",
            buttons=(schedule_button(network),),
        )
    zone = _zone(context)
    schedule = parse_schedule(when, context.now.astimezone(zone).date())
    text = check_text(text)
    if schedule.on is not None and wall_clock(schedule.on, schedule.at, zone) <= context.now:
        raise UserError(
            f"{schedule.on.day} {schedule.on:%B %Y} at {schedule.at:%H:%M} has already "
            "passed. Pick a time in the future."
        )
    channels = await OutboxRepository(context.session).channels_for(network.id, "announcements")
    if not channels:
        raise UserError(
            f"{network.name} has no announcements channel yet, so there is nowhere to post. "
            "An admin can set one with `channel "
            f"{network.slug} <platform> announcements <channel id>`."
        )
    announcement = await AnnouncementRepository(context.session).add(
        Announcement(
            network_id=network.id,
            text=text,
            repeat=schedule.repeat,
            on_date=schedule.on.isoformat() if schedule.on else "",
            weekday=schedule.weekday,
            nth=schedule.nth,
            at_time=f"{schedule.at:%H:%M}",
            status=AnnouncementStatus.ACTIVE,
            created_by=context.request.person.key,
            created_at=context.now,
            updated_at=context.now,
        )
    )
    await plan_announcement(context.session, announcement, network, zone, context.now)
    return Reply(
        text=f"Scheduled announcement {announcement.id} for {network.name}, "
        f"{schedule.describe()} ({_zone_name(zone)}), in {_platforms(channels)}. "
        f"`preview announcement {announcement.id}` shows exactly what will be posted.",
        buttons=(
            Button("Preview", f"preview announcement {announcement.id}"),
            Button("Cancel it", f"cancel announcement {announcement.id}"),
        ),
    )


async def _own_announcement(context: HandlerContext) -> tuple[Announcement, Network, str]:
    head, rest = split_text(context.args)
    token = head.split(" ", 1)[0].lstrip("#") if head else ""
    if not is_number(token):
        raise UserError(
            "Which announcement? Use its number, for example `preview announcement 3`; "
            "`announcements <network>` lists them."
        )
    announcement = await AnnouncementRepository(context.session).get(
        parse_id(token, what="announcement")
    )
    network = await context.session.get(Network, announcement.network_id) if announcement else None
    if announcement is None or network is None or not context.roles.leads(network.id):
        # The same answer whether it does not exist or is another network's, so nothing leaks.
        raise UserError(
            f"I can't find announcement {token} among the ones you lead. "
            "`announcements <network>` lists them."
        )
    if announcement.status != AnnouncementStatus.ACTIVE:
        raise UserError(f"Announcement {token} was cancelled, so there is nothing to change.")
    schedule_part = head.split(" ", 1)[1] if " " in head else ""
    return announcement, network, (schedule_part + (": " + rest if rest else "")).strip()


async def preview(context: HandlerContext) -> list[Reply]:
    announcement, network, _ = await _own_announcement(context)
    channels = await OutboxRepository(context.session).channels_for(network.id, "announcements")
    schedule = schedule_of(announcement)
    post = announcement_reply(network, announcement.text)
    note = Reply(
        text=f"Announcement {announcement.id} goes out {schedule.describe()} "
        f"({_zone_name(_zone(context))}) in {_platforms(channels) or 'no channel yet'}. "
        "This is exactly what will be posted:"
    )
    # Shown privately to the lead: a preview must never land in a shared channel.
    return [note, Reply(text=post.text, context=post.context)]


async def edit(context: HandlerContext) -> Reply:
    announcement, network, rest = await _own_announcement(context)
    when, text = split_text(rest)
    if not text and not when:
        raise UserError(
            f"What should change? For example `edit announcement {announcement.id}: new text` "
            f"or `edit announcement {announcement.id} every friday 16:00: new text`."
        )
    zone = _zone(context)
    if when:
        schedule = parse_schedule(when, context.now.astimezone(zone).date())
        announcement.repeat = schedule.repeat
        announcement.on_date = schedule.on.isoformat() if schedule.on else ""
        announcement.weekday = schedule.weekday
        announcement.nth = schedule.nth
        announcement.at_time = f"{schedule.at:%H:%M}"
    if text:
        announcement.text = check_text(text)
    announcement.updated_at = context.now
    await plan_announcement(context.session, announcement, network, zone, context.now)
    return Reply(
        text=f"Updated announcement {announcement.id}: it goes out "
        f"{schedule_of(announcement).describe()}. Posts already sent are unchanged.",
        buttons=(Button("Preview", f"preview announcement {announcement.id}"),),
    )


async def cancel(context: HandlerContext) -> Reply:
    announcement, network, _ = await _own_announcement(context)
    announcement.status = AnnouncementStatus.CANCELLED
    announcement.updated_at = context.now
    await plan_announcement(context.session, announcement, network, _zone(context), context.now)
    return Reply(
        text=f"Cancelled announcement {announcement.id} for {network.name}. "
        "Nothing more of it will be posted."
    )


def schedule_button(network: Network) -> Button:
    # Where forms don't exist (the console), the button types the start of the command.
    return Button(
        "Schedule an announcement", f"announce {network.slug}", form=announcement_form(network)
    )


def announcement_form(network: Network) -> Form:
    """Scheduling an announcement as a form: the same as typing `announce ...`."""
    return Form(
        id=f"announcement-{network.slug}",
        title=f"Announce in {network.name}",
        fields=(
            FormField(
                name="when",
                label="When",
                placeholder="on 1 Dec 2026 09:00, or every monday 09:00",
            ),
            FormField(
                name="text",
                label="What it says",
                kind=FormFieldKind.MULTILINE,
                max_length=MAX_TEXT,
            ),
        ),
        command=f"announce {network.slug} {{when}}: {{text}}",
        submit_label="Schedule",
    )


async def list_announcements(context: HandlerContext) -> Reply:
    network, rest = await take_network(context, context.args)
    _, number = split_page(rest)
    require_lead(context, network)
    items = await AnnouncementRepository(context.session).of_network(network.id)
    if not items:
        return Reply(
            text=f"{network.name} has no announcements scheduled. Schedule one with {EXAMPLES}."
        )
    # A one-off whose time has passed is done: shown apart, with nothing left to cancel.
    done = [item for item in items if _gone_out(item, context.now, _zone(context))]
    waiting = [item for item in items if item not in done]
    # Each one waiting has its own section and buttons, so a page holds 10 of them.
    page = paginate([str(item.id) for item in waiting], number, size=10)
    ahead = page.of(waiting)
    more = more_section(page, f"announcements {network.slug}")
    sections = [
        Section(
            heading=f"{item.id}. {schedule_of(item).describe()}",
            text=_shorten(item.text, 200),
            buttons=(
                Button("Preview", f"preview announcement {item.id}"),
                Button("Cancel", f"cancel announcement {item.id}"),
            ),
        )
        for item in ahead
    ]
    lines = [
        f"{item.id}. {schedule_of(item).describe()}: {_shorten(item.text, 80)}" for item in ahead
    ] or ["Nothing is waiting to go out."]
    if done:
        latest = sorted(done, key=lambda item: item.on_date or "", reverse=True)[:PAST_SHOWN]
        past = [
            f"{item.id}. was due {schedule_of(item).describe()}: {_shorten(item.text, 80)}"
            for item in latest
        ]
        note = f"`outbox {network.slug}` shows how each went."
        sections.append(Section(heading="Already due", text="\n".join([*past, note])))
        lines += ["", "Already due:", *past, note]
    if more is not None:
        # Right after the announcements it counts, before those already due.
        sections.insert(len(ahead), more)
        lines.insert(len(ahead), more.text)
    return Reply(
        buttons=(schedule_button(network),),
        heading=f"{network.name} announcements",
        text=f"{network.name} announcements:\n" + "\n".join(lines),
        sections=tuple(sections),
        context=f"Times are {_zone_name(_zone(context))}.",
    )


# How many one-off announcements already due `announcements` still mentions.
PAST_SHOWN = 5


def _gone_out(item: Announcement, now: datetime, zone: ZoneInfo) -> bool:
    schedule = schedule_of(item)
    if schedule.repeat != "once" or schedule.on is None:
        return False
    return datetime.combine(schedule.on, schedule.at, tzinfo=zone) <= now


async def show_outbox(context: HandlerContext) -> Reply:
    network, _ = await take_network(context, context.args)
    require_lead(context, network, "see its outbox")
    since = context.now - timedelta(days=7)
    posts = await OutboxRepository(context.session).of_network(network.id, since, limit=500)
    if not posts:
        return Reply(
            text=f"Nothing has been scheduled for {network.name} in the last week or ahead."
        )
    zone = _zone(context)
    channel_lines: list[str] = []
    # Private posts (reminders to registrants) are counted, never listed by person.
    private: dict[tuple[str, str], int] = {}
    lease = timedelta(seconds=context.services.settings.scheduler.lease_seconds)
    stuck = 0
    for post in posts:
        status = planned_post_status(post)
        if stuck_since(post, context.now, lease) is not None:
            status, stuck = STUCK_STATUS, stuck + 1
        when = post.due_at.astimezone(zone).strftime("%a %d %b %H:%M")
        if post.target_kind == TargetKind.PERSON:
            key = (f"{when} {describe_schedule(post.schedule_key)}", status)
            private[key] = private.get(key, 0) + 1
            continue
        why = f" ({post.last_error})" if post.last_error and status != "sent" else ""
        channel_lines.append(
            f"{when} · {describe_schedule(post.schedule_key)} · {post.platform} · {status}{why}"
        )
    private_lines = [
        f"{label} · {count} private message{'s' if count != 1 else ''} · {status}"
        for (label, status), count in private.items()
    ]
    lines = ([stuck_warning(stuck, lease)] if stuck else []) + channel_lines + private_lines
    shown = lines[:60]
    more = f"\n…and {len(lines) - len(shown)} more." if len(lines) > len(shown) else ""
    return Reply(
        heading=f"{network.name} outbox",
        text=f"{network.name} outbox (last 7 days and ahead):\n" + "\n".join(shown) + more,
        sections=(
            Section(text="\n".join(shown) + more, fields=(Field("Times", _zone_name(zone)),)),
        ),
    )


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _platforms(channels: dict[str, str]) -> str:
    names = {"slack": "Slack", "teams": "Teams", "console": "the console"}
    return " and ".join(names.get(platform, platform) for platform in channels)


def _zone_name(zone: ZoneInfo) -> str:
    return f"{zone.key} time"


def register(router: Router) -> None:
    router.add(
        Command(
            phrase="announce",
            handler=announce,
            summary="schedule a post in your network's announcement channel",
            usage="announce <network> on <day> <time>: <text>  |  every <monday> <time>: <text>",
            audience=Audience.LEAD,
        )
    )
    router.add(
        Command(
            phrase="announcements",
            handler=list_announcements,
            summary="your network's scheduled announcements, 10 at a time",
            usage="announcements <network> [page <n>]",
            audience=Audience.LEAD,
        )
    )
    router.add(
        Command(
            phrase="preview announcement",
            handler=preview,
            summary="see exactly what an announcement will post",
            usage="preview announcement <id>",
            audience=Audience.LEAD,
        )
    )
    router.add(
        Command(
            phrase="edit announcement",
            handler=edit,
            summary="change an announcement's text or time",
            usage="edit announcement <id> [on|every ...]: <new text>",
            audience=Audience.LEAD,
        )
    )
    router.add(
        Command(
            phrase="cancel announcement",
            handler=cancel,
            summary="cancel a scheduled announcement",
            usage="cancel announcement <id>",
            audience=Audience.LEAD,
        )
    )
    router.add(
        Command(
            phrase="outbox",
            handler=show_outbox,
            summary="what your network has scheduled, sent, late or failed, and why",
            usage="outbox <network>",
            audience=Audience.LEAD,
        )
    )
