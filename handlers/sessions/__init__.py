"""Sessions: webinars, trainings and socials people register for, and the leads who run them.

Everyone browses (`browsing`), takes and gives up places (`registering`, `places`), tells
the organisers their access needs (`needs`), gets calendar files (`calendar_files`), sees
their own (`my_sessions`) and gives feedback (`feedback`). Leads create sessions
(`creating`, from `parts` they type or `forms`), change them (`editing`), invite and mark
attendance (`people`), list who is coming (`people_lists`) and see reports (`reports`).
What the commands a button or a form reaches are given is declared in `arguments`; the
forms Slack builds again from a reference are in `builders`.
"""

from __future__ import annotations

from bot.router import Audience, Command, Router
from handlers.sessions import reminders
from handlers.sessions.arguments import (
    CancelPlace,
    CreateSession,
    EditSession,
    MySessions,
    NeedsList,
    Register,
    RegistrationsList,
    SessionsList,
    ShowSession,
)
from handlers.sessions.browsing import list_sessions, show_session
from handlers.sessions.builders import build_create_form, build_edit_form, build_needs_form
from handlers.sessions.creating import SHORT_USAGE, create_session
from handlers.sessions.editing import cancel_session, edit_session, postpone_session
from handlers.sessions.feedback import feedback, recording
from handlers.sessions.forms import CREATE_FORM, EDIT_FORM
from handlers.sessions.my_sessions import MY_SESSIONS, my_sessions, show_my_sessions
from handlers.sessions.needs import NEEDS_FORM, purge_expired_needs
from handlers.sessions.people import attended, invite
from handlers.sessions.people_lists import needs, registrations_list
from handlers.sessions.registering import cancel, register_place
from handlers.sessions.reports import report


def register(router: Router) -> None:
    """Everyone's commands, then the leads': the order `help` shows them in."""
    reminders.register(router)
    database = router.services.database
    router.add_job("access-needs", lambda now: purge_expired_needs(database, now))
    router.add_my_part(my_sessions)
    router.add_form(CREATE_FORM, build_create_form)
    router.add_form(EDIT_FORM, build_edit_form)
    router.add_form(NEEDS_FORM, build_needs_form)
    lead = Audience.LEAD
    for command in (
        Command(
            phrase=MY_SESSIONS,
            handler=show_my_sessions,
            summary="your sessions and invitations, a page at a time",
            usage=f"{MY_SESSIONS} [page <n>]",
            arguments=MySessions,
        ),
        Command(
            phrase="sessions",
            handler=list_sessions,
            summary="upcoming sessions, soonest first, 10 at a time",
            usage="sessions [<network>] [page <n>]",
            arguments=SessionsList,
        ),
        Command(
            phrase="session",
            handler=show_session,
            summary="one session's details and places left",
            usage="session <number>",
            arguments=ShowSession,
        ),
        Command(
            phrase="register",
            handler=register_place,
            summary="take a place (add `private` for a neutral calendar title)",
            usage="register <number> [private] [needs: <what you need>]",
            arguments=Register,
        ),
        Command(
            phrase="cancel",
            handler=cancel,
            summary="give up your place or leave the waitlist",
            usage="cancel <number>",
            arguments=CancelPlace,
        ),
        Command(
            phrase="feedback",
            handler=feedback,
            summary="rate a session you went to, anonymously unless you add `named`",
            usage="feedback <number> <1-5> [comment] [named]",
            # Anonymous unless `named`: a log line naming who rated would undo that.
            anonymous=True,
        ),
        Command(
            phrase="create session",
            handler=create_session,
            summary="create a session (checked before it's saved)",
            usage=SHORT_USAGE,
            audience=lead,
            arguments=CreateSession,
        ),
        Command(
            phrase="edit session",
            handler=edit_session,
            summary="change a session",
            usage="edit session <number> key: value | …",
            audience=lead,
            arguments=EditSession,
        ),
        Command(
            phrase="postpone session",
            handler=postpone_session,
            summary="move a session; registrants get a new calendar file",
            usage="postpone session <number> to <when>",
            audience=lead,
        ),
        Command(
            phrase="cancel session",
            handler=cancel_session,
            summary="cancel a session and tell everyone privately",
            usage="cancel session <number> [reason]",
            audience=lead,
        ),
        Command(
            phrase="invite",
            handler=invite,
            summary="invite people to a session",
            usage="invite <number> <person…> | invite <number> attendees of <number>",
            audience=lead,
        ),
        Command(
            phrase="attended",
            handler=attended,
            summary="mark attendance",
            usage="attended <number> <person…> | all",
            audience=lead,
        ),
        Command(
            phrase="recording",
            handler=recording,
            summary="add a session's recording link",
            usage="recording <number> <link>",
            audience=lead,
        ),
        Command(
            phrase="report",
            handler=report,
            summary="a network's sessions, attendance and people trained",
            usage="report <network>",
            audience=lead,
        ),
        Command(
            phrase="registrations",
            handler=registrations_list,
            summary="who has a place at a session, a page at a time (private)",
            usage="registrations <number> [page <n>]",
            audience=lead,
            arguments=RegistrationsList,
        ),
        # Facilitators who are not leads see access needs too, so this one checks for itself.
        Command(
            phrase="needs",
            handler=needs,
            summary="access needs for a session you organise, a page at a time (private)",
            usage="needs <number> [page <n>]",
            arguments=NeedsList,
        ),
    ):
        router.add(command)
