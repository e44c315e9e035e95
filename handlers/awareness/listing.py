"""`calendar`: the awareness days, weeks and months coming up, for anyone."""

from __future__ import annotations

from bot.messages import Reply, Section, Visibility
from bot.router import HandlerContext
from handlers.awareness.dates import upcoming
from handlers.awareness.posts import shipped_rules


async def show_calendar(context: HandlerContext) -> Reply:
    today = context.now.astimezone(context.services.settings.timezone).date()
    coming = upcoming(shipped_rules(), today, days=60, at_least=5)
    lines = []
    for occurrence in coming:
        state = "now" if occurrence.first <= today else ""
        label = f"{occurrence.rule.name}: {occurrence.describe()}"
        lines.append(f"• {label}" + (" (on now)" if state else ""))
    return Reply(
        text="Coming up in the awareness calendar:\n" + "\n".join(lines),
        heading="Awareness calendar",
        sections=(Section(text="\n".join(lines)),),
        context="Worked out from each date's rule; organisers confirm the final dates.",
        visibility=Visibility.CONVERSATION,
    )
