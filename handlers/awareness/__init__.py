"""The awareness calendar: date rules, `calendar` for anyone, and the leads' posts of it."""

from __future__ import annotations

from bot.router import Audience, Command, Router
from handlers.awareness import listing
from handlers.awareness.arguments import (
    CalendarDate,
    CalendarDays,
    CalendarMessage,
    CalendarPosts,
    CalendarTime,
)
from handlers.awareness.post_settings import (
    list_posts,
    retime,
    set_days,
    set_message,
    turn_off,
    turn_on,
)
from handlers.awareness.posts import CALENDAR, CalendarPlanner, describe_calendar_post
from handlers.awareness.yearly_dates import (
    DATES,
    DATES_FORM,
    YearlyDates,
    build_dates_form,
    set_dates,
)


def register(router: Router) -> None:
    services = router.services
    router.add_planner(CalendarPlanner(services.database, services.settings.timezone))
    router.registry.describe_posts(CALENDAR, describe_calendar_post)
    router.add_form(DATES_FORM, build_dates_form)
    commands = (
        Command("calendar", listing.show_calendar, "awareness days, weeks and months coming up"),
        Command(
            "calendar posts",
            list_posts,
            "your network's awareness-calendar posts for the next 90 days",
            "calendar posts <network>",
            Audience.LEAD,
            arguments=CalendarPosts,
        ),
        Command(
            "calendar off",
            turn_off,
            "stop posting an awareness date for your network",
            "calendar off <network> <date>",
            Audience.LEAD,
            arguments=CalendarDate,
        ),
        Command(
            "calendar on",
            turn_on,
            "post an awareness date for your network again",
            "calendar on <network> <date>",
            Audience.LEAD,
            arguments=CalendarDate,
        ),
        Command(
            "calendar time",
            retime,
            "change the time an awareness date is posted",
            "calendar time <network> <date> <HH:MM>",
            Audience.LEAD,
            arguments=CalendarTime,
        ),
        Command(
            "calendar days",
            set_days,
            "change how many days ahead an awareness date is posted",
            "calendar days <network> <date> <days,before>",
            Audience.LEAD,
            arguments=CalendarDays,
        ),
        Command(
            "calendar message",
            set_message,
            "write your own message for an awareness date",
            "calendar message <network> <date>: <text>",
            Audience.LEAD,
            arguments=CalendarMessage,
        ),
        Command(
            DATES,
            set_dates,
            "set this year's dates of an awareness date its organisers announce each year",
            "calendar dates <date> <first day> <last day>",
            Audience.LEAD,
            arguments=YearlyDates,
        ),
    )
    for command in commands:
        router.add(command)
