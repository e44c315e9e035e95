"""Sessions: webinars, trainings and socials people register for, and the leads who run them.

Everyone browses (`browsing`), takes and gives up places (`registering`, `places`), tells
the organisers their access needs (`needs`), gets calendar files (`calendar_files`), sees
their own (`my_sessions`) and gives feedback (`feedback`). Leads create sessions
(`creating`, from `parts` they type or `forms`), change them (`editing`), invite and mark
attendance (`people`), list who is coming (`people_lists`) and see reports (`reports`).
"""

from __future__ import annotations

from bot.router import Audience, Command, Router
from handlers.sessions import reminders
from handlers.sessions.browsing import list_sessions, show_session
from handlers.sessions.creating import SHORT_USAGE, create_session
from handlers.sessions.editing import cancel_session, edit_session, postpone_session
from handlers.sessions.feedback import feedback, recording
from handlers.sessions.my_sessions import MY_SESSIONS, my_sessions, show_my_sessions
from handlers.sessions.needs import purge_expired_needs
from handlers.sessions.people import attended, invite
from handlers.sessions.people_lists import needs, registrations_list
from handlers.sessions.registering import cancel, register_place
from handlers.sessions.reports import report


def register(router: Router) -> None:
    reminders.register(router)
    database = router.services.database
    router.add_job("access-needs", lambda now: purge_expired_needs(database, now))
    router.add_my_part(my_sessions)
    router.add(
        Command(
            phrase=MY_SESSIONS,
            handler=show_my_sessions,
            summary="your sessions and invitations, a page at a time",
            usage=f"{MY_SESSIONS} [page <n>]",
        )
    )
    router.add(
        Command(
            phrase="sessions",
            handler=list_sessions,
            summary="upcoming sessions, soonest first, 10 at a time",
            usage="sessions [<network>] [page <n>]",
        )
    )
    router.add(
        Command(
            phrase="session",
            handler=show_session,
            summary="one session's details and places left",
            usage="session <number>",
        )
    )
    router.add(
        Command(
            phrase="register",
            handler=register_place,
            summary="take a place (add `private` for a neutral calendar title)",
            usage="register <number> [private] [needs: <what you need>]",
        )
    )
    router.add(
        Command(
            phrase="cancel",
            handler=cancel,
            summary="give up your place or leave the waitlist",
            usage="cancel <number>",
        )
    )
    router.add(
        Command(
            phrase="feedback",
            handler=feedback,
            summary="rate a session you went to, anonymously unless you add `named`",
            usage="feedback <number> <1-5> [comment] [named]",
            # Anonymous unless `named`: a log line naming who rated would undo that.
            anonymous=True,
        )
    )
    lead_commands = (
        (
            "create session",
            create_session,
            "create a session (checked before it's saved)",
            SHORT_USAGE,
        ),
        ("edit session", edit_session, "change a session", "edit session <number> key: value | …"),
        (
            "postpone session",
            postpone_session,
            "move a session; registrants get a new calendar file",
            "postpone session <number> to <when>",
        ),
        (
            "cancel session",
            cancel_session,
            "cancel a session and tell everyone privately",
            "cancel session <number> [reason]",
        ),
        (
            "invite",
            invite,
            "invite people to a session",
            "invite <number> <person…> | invite <number> attendees of <number>",
        ),
        ("attended", attended, "mark attendance", "attended <number> <person…> | all"),
        ("recording", recording, "add a session's recording link", "recording <number> <link>"),
        (
            "report",
            report,
            "a network's sessions, attendance and people trained",
            "report <network>",
        ),
        (
            "registrations",
            registrations_list,
            "who has a place at a session, a page at a time (private)",
            "registrations <number> [page <n>]",
        ),
    )
    for phrase, handler, summary, usage in lead_commands:
        router.add(
            Command(
                phrase=phrase, handler=handler, summary=summary, usage=usage, audience=Audience.LEAD
            )
        )
    # Facilitators who are not leads see access needs too, so this one checks for itself.
    router.add(
        Command(
            phrase="needs",
            handler=needs,
            summary="access needs for a session you organise, a page at a time (private)",
            usage="needs <number> [page <n>]",
        )
    )
