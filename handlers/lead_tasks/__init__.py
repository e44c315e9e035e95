"""Lead tasks: a lead's work as buttons and forms, per network (`tasks`), shown by `lead`,
on Slack's App Home and as the lead card on Teams. The forms belong to the features whose
commands they call (sessions, questions, announcements); this only gathers them."""

from __future__ import annotations

from bot.router import Audience, Command, Router
from handlers.lead_tasks.tasks import LeadTasks, lead_tasks

LEAD = "lead"


def register(router: Router) -> None:
    router.add(
        Command(
            phrase=LEAD,
            handler=lead_tasks,
            summary="your lead tasks as buttons: sessions, attendance, posts, questions, reports",
            usage="lead [<network>]",
            audience=Audience.LEAD,
            arguments=LeadTasks,
        )
    )
