"""Lead announcements: scheduled posts into a network's announcement channels.

`announce pride on 1 Dec 2026 09:00: <text>` posts once; `every monday 09:00` and
`every first tuesday 09:00` repeat. Leads list, preview, edit and cancel them, and
see the network's outbox: what is scheduled, sent, late, failed and why. Only the
network's leads (and admins) may post into its channels.

- `arguments`: what the commands buttons and the form reach are given
- `scheduling`: `announce`, its form and the buttons for one announcement
- `listing`: `announcements <network>`, a page at a time
- `changes`: preview, edit and cancel one announcement
- `schedules`: when an announcement goes out; `planner`: its posts in the outbox
- `outbox_view`: `outbox <network>`
"""

from __future__ import annotations

from bot.router import Audience, Command, Router
from handlers.announcements.arguments import (
    Announce,
    AnnouncementNumber,
    AnnouncementsList,
    EditAnnouncement,
)
from handlers.announcements.changes import cancel, edit, preview
from handlers.announcements.listing import list_announcements
from handlers.announcements.outbox_view import show_outbox
from handlers.announcements.planner import (
    ANNOUNCEMENT,
    AnnouncementPlanner,
    describe_announcement,
)
from handlers.announcements.scheduling import (
    ANNOUNCEMENT_FORM,
    announce,
    build_announcement_form,
)


def register(router: Router) -> None:
    services = router.services
    router.add_planner(AnnouncementPlanner(services.database, services.settings.timezone))
    router.registry.describe_posts(ANNOUNCEMENT, describe_announcement)
    router.add_form(ANNOUNCEMENT_FORM, build_announcement_form)
    for command in (
        Command(
            phrase="announce",
            handler=announce,
            summary="schedule a post in your network's announcement channel",
            usage="announce <network> on <day> <time>: <text>  |  every <monday> <time>: <text>",
            audience=Audience.LEAD,
            arguments=Announce,
        ),
        Command(
            phrase="announcements",
            handler=list_announcements,
            summary="your network's scheduled announcements, 10 at a time",
            usage="announcements <network> [page <n>]",
            audience=Audience.LEAD,
            arguments=AnnouncementsList,
        ),
        Command(
            phrase="preview announcement",
            handler=preview,
            summary="see exactly what an announcement will post",
            usage="preview announcement <id>",
            audience=Audience.LEAD,
            arguments=AnnouncementNumber,
        ),
        Command(
            phrase="edit announcement",
            handler=edit,
            summary="change an announcement's text or time",
            usage="edit announcement <id> [on|every ...]: <new text>",
            audience=Audience.LEAD,
            arguments=EditAnnouncement,
        ),
        Command(
            phrase="cancel announcement",
            handler=cancel,
            summary="cancel a scheduled announcement",
            usage="cancel announcement <id>",
            audience=Audience.LEAD,
            arguments=AnnouncementNumber,
        ),
        Command(
            phrase="outbox",
            handler=show_outbox,
            summary="what your network has scheduled, sent, late or failed, and why, "
            "a page at a time",
            usage="outbox <network> [page <n>]",
            audience=Audience.LEAD,
            # The same shape as the announcements list: a network, and the page More asks for.
            arguments=AnnouncementsList,
        ),
    ):
        router.add(command)
