"""Each network's sessions as a calendar people subscribe to: the feed `allybot serve`
publishes, and `calendar link` that hands out its address."""

from __future__ import annotations

from bot.router import Audience, Command, Router
from handlers.calendar_feed.feed import CalendarFeedRoutes
from handlers.calendar_feed.links import FeedLink, calendar_link
from handlers.calendar_link import CALENDAR_LINK


def register(router: Router) -> None:
    services = router.services
    router.add(
        Command(
            CALENDAR_LINK,
            calendar_link,
            "a link that puts a network's sessions in your Outlook or Google calendar",
            "calendar link <network> (leads: calendar link <network> rotate)",
            Audience.EVERYONE,
            arguments=FeedLink,
        )
    )
    for route in CalendarFeedRoutes(services.database, services.settings, services.clock).routes():
        router.add_route(route)
