"""`calendar dates <date> <first> <last>`: this year's dates of an awareness date whose
organisers announce them each year, set by an admin or a lead of a network it is posted to.

Until they are set, `calendar` and the posts say the dates are to be confirmed. Setting them
re-plans every network's awareness posts in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar, Self

from bot.arguments import Arguments
from bot.errors import UserError
from bot.messages import Button, Call, Form, FormField, FormFieldKind, Reply
from bot.router import HandlerContext
from handlers.awareness.dates import AwarenessDate, Confirmed, date_range
from handlers.awareness.post_settings import find_rule
from handlers.awareness.posts import applies, plan_calendar, shipped_rules
from storage.repositories import AwarenessDateRepository, NetworkRepository

DATES = "calendar dates"
DATES_FORM = "awareness-dates"
# A month-long date with room to spare; anything longer is a typing mistake.
LONGEST = timedelta(days=62)
_DATE = r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}"
_TYPED = re.compile(
    rf"^(?P<event>.+?)\s+(?P<first>{_DATE})\s*(?:to\s+|until\s+|-\s*|–\s*)?(?P<last>{_DATE})$",
    re.IGNORECASE,
)
_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y")
EXAMPLE = "`calendar dates uk-disability-history-month 2026-11-20 2026-12-20`"


@dataclass(frozen=True, slots=True)
class YearlyDates(Arguments):
    """`calendar dates <date> <first> <last>`; with the dates left out, the reply is a form."""

    event: str
    first: str = ""
    last: str = ""

    labels: ClassVar[dict[str, str]] = {"first": "the first day", "last": "the last day"}

    @classmethod
    def parse(cls, words: str) -> Self:
        found = _TYPED.match(" ".join(words.split()))
        if found is None:
            if any(character.isdigit() for character in words):
                raise UserError(f"Which days? Give the first and the last, like {EXAMPLE}.")
            return cls(event=words)
        return cls(event=found["event"], first=found["first"], last=found["last"])

    def words(self) -> str:
        return " ".join(part for part in (self.event, self.first, self.last) if part)


def parse_day(typed: str, field: str) -> date:
    cleaned = " ".join(typed.replace(".", "").split())
    for layout in _FORMATS:
        try:
            return datetime.strptime(cleaned, layout).date()
        except ValueError:
            continue
    raise UserError(
        f"I couldn't read “{typed[:40]}” as a day. Try 2026-11-20 or 20 November 2026.",
        field=field,
    )


def dates_form(rule: AwarenessDate) -> Form:
    return Form(
        id="awareness-dates",
        title=f"{rule.name}: this year's dates"[:60],
        fields=(
            FormField("first", "First day", FormFieldKind.DATE),
            FormField("last", "Last day", FormFieldKind.DATE),
        ),
        call=Call.of(DATES, event=rule.id),
        kind=DATES_FORM,
        params=(("date", rule.id),),
        submit_label="Set the dates",
    )


def dates_button(rule: AwarenessDate) -> Button:
    return Button(f"Set dates: {rule.name}", form=dates_form(rule))


async def may_set(context: HandlerContext, rule: AwarenessDate) -> bool:
    """Admins, and leads of a network the date is posted to."""
    if context.roles.admin:
        return True
    networks = await NetworkRepository(context.session).active()
    return any(applies(rule, network) and context.roles.leads(network.id) for network in networks)


async def _settable(context: HandlerContext, typed: str) -> AwarenessDate:
    rule = find_rule(typed)
    if not rule.announced:
        raise UserError(
            f"{rule.name} is on the same days every year, so there is nothing to set. "
            "Only dates whose organisers announce them each year can be set."
        )
    if not await may_set(context, rule):
        raise UserError(
            f"Only an admin, or a lead of a network that marks {rule.name}, can set its dates."
        )
    return rule


async def build_dates_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    return dates_form(await _settable(context, params.get("date", "")))


async def set_dates(context: HandlerContext) -> Reply:
    wanted = context.given(YearlyDates)
    rule = await _settable(context, wanted.event)
    if not wanted.first or not wanted.last:
        return Reply(
            text=f"When is {rule.name} this year? Fill in the form, or type {EXAMPLE}.",
            buttons=(dates_button(rule),),
        )
    first = parse_day(wanted.first, "first")
    last = parse_day(wanted.last, "last")
    if last < first:
        raise UserError("The last day is before the first. Which way round?", field="last")
    if last - first > LONGEST:
        raise UserError(
            f"That is {(last - first).days + 1} days; {rule.name} is shorter than that. "
            "Could you check the dates?",
            field="last",
        )
    this_year = context.now.astimezone(context.services.settings.timezone).year
    if not this_year - 1 <= first.year <= this_year + 1:
        raise UserError(f"Dates can be set for {this_year - 1} to {this_year + 1}.", field="first")
    await AwarenessDateRepository(context.session).confirm(
        rule.id, first.year, first, last, context.now
    )
    await context.session.flush()
    await plan_calendar(
        context.session, shipped_rules(), context.services.settings.timezone, context.now
    )
    return Reply(
        text=(
            f"{rule.name} {first.year}: {date_range(first, last)}. `calendar` and the "
            "networks' awareness posts now give these dates."
        )
    )


async def confirmed_dates(context: HandlerContext) -> Confirmed:
    return await AwarenessDateRepository(context.session).confirmed()
