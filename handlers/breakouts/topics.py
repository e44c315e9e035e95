"""The `topics` list of a session's breakout topics, with its buttons, and the form to
propose and host a topic."""

from __future__ import annotations

from collections.abc import Mapping

from bot.messages import Button, ButtonStyle, Call, Form, FormField, FormFieldKind, Reply, Section
from bot.numbers import parse_id
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.breakouts.arguments import TopicsList
from handlers.breakouts.common import (
    CLOSED,
    MAX_TITLE_CHARS,
    NOT_OPEN,
    OPEN,
    breakout_session,
    has_space,
    hosted_by,
    may_change,
    names_of,
    places_text,
    signup_state,
    topic_people,
)
from handlers.pages import item_label, more_section, paginate
from storage.repositories import BreakoutRepository
from storage.statuses import TopicStatus


async def list_topics(context: HandlerContext) -> Reply:
    given = context.given(TopicsList)
    number = given.page or 1
    item, settings = await breakout_session(context, given.session)
    repository = BreakoutRepository(context.session)
    lead = context.roles.leads(item.network_id)
    candidates = await repository.topics(item.id, (TopicStatus.PROPOSED, TopicStatus.APPROVED))
    # Topics waiting for approval are shown to the leads and to whoever proposed them.
    topics = [
        topic
        for topic in candidates
        if topic.status == TopicStatus.APPROVED or lead or may_change(context, item, topic)
    ]
    counts = await repository.pick_counts(item.id)
    shown = context.services.settings.small_numbers
    names = await names_of(context.session, topic_people(topics), context.services.names)
    state = signup_state(settings, context.now)
    zone = context.services.settings.timezone
    sections = []
    # Each topic has its own section and buttons, so a page holds 10 of them.
    page = paginate([topic.title for topic in topics], number, size=10)
    for topic in page.of(topics):
        mine = await repository.pick_of(item.id, topic.round, context.user.id)
        details = [hosted_by(topic, names)]
        if topic.notes_user_id in names:
            details.append(f"notes: {names[topic.notes_user_id or 0]}")
        details.append(places_text(settings, counts.get(topic.id, 0), shown))
        buttons: list[Button] = []
        if topic.status == TopicStatus.PROPOSED:
            details.append("waiting for approval")
            if lead:
                buttons += [
                    Button(
                        item_label("Approve", topic.title),
                        call=Call.of("approve topic", topic=topic.id),
                        style=ButtonStyle.PRIMARY,
                    ),
                    Button(
                        item_label("Decline", topic.title),
                        call=Call.of("decline topic", topic=topic.id),
                        style=ButtonStyle.DANGER,
                    ),
                ]
        elif mine is not None and mine.topic_id == topic.id:
            details.append("your pick")
        elif state == OPEN and has_space(settings, counts.get(topic.id, 0)):
            buttons.append(
                Button(
                    item_label("Pick", topic.title),
                    call=Call.of("pick", session=item.id, topic=topic.id),
                    style=ButtonStyle.PRIMARY,
                )
            )
        if topic.host_user_id is None and state != CLOSED:
            buttons.append(Button(
                    item_label("Offer to host", topic.title),
                    call=Call.of("host topic", topic=topic.id),
                ))
        heading = f"{topic.title} (topic {topic.id})"
        if settings.rounds > 1:
            heading = f"Round {topic.round}: {heading}"
        sections.append(Section(heading=heading, text=" · ".join(details), buttons=tuple(buttons)))
    if state == NOT_OPEN:
        status = f"Picking opens {when(settings.opens_at, zone)}."
    elif state == OPEN:
        status = (
            f"Pick with `pick {item.id} <topic number>` until {when(settings.closes_at, zone)}."
        )
    else:
        status = "The signup has closed."
    empty = f"No topics yet. Host one with `host {item.id} <your topic>`."
    lines = [f"• {section.heading}: {section.text}" for section in sections] or [empty]
    if (
        more := more_section(page, f"topics {item.id}", call=Call.of("topics", session=item.id))
    ) is not None:
        sections.append(more)
        lines.append(more.text)
    return Reply(
        heading=f"Breakout topics: {item.title}",
        text="\n".join([f"Breakout topics for {item.title}. {status}", *lines]),
        sections=(Section(text=status), *(sections or [Section(text=empty)])),
        buttons=propose_button(item.id) if state != CLOSED else (),
        context=f"Host a topic: `host {item.id} <title>` · take notes: `notes <topic number>`",
    )


TOPIC_FORM = "breakout-topic"


def propose_button(session_id: int) -> tuple[Button, ...]:
    # Where forms don't exist (the console), the button says what to type instead.
    return (Button("Propose a topic", form=topic_form(session_id)),)


def topic_form(session_id: int) -> Form:
    """Proposing a topic to host, with an optional co-host, as a form."""
    return Form(
        id=f"breakout-topic-{session_id}",
        title="Propose a topic",
        fields=(
            FormField(
                name="title",
                label="Your topic",
                placeholder="Finding the words to speak up",
                max_length=MAX_TITLE_CHARS,
            ),
            # A people picker where the platform has one (Slack): a typed "@name" is only
            # text in a form, never a mention, so no hint may suggest it.
            FormField(
                name="cohost",
                label="Co-host (optional)",
                kind=FormFieldKind.PEOPLE,
                required=False,
                placeholder="their id, like slack:U0123 or teams:29:1a2b…, or leave empty",
            ),
        ),
        call=Call.of("host", session=session_id),
        kind=TOPIC_FORM,
        params=(("session", str(session_id)),),
        submit_label="Propose and host",
    )


async def build_topic_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    """The form again from its reference, for a session that still has breakouts (whether it
    still takes topics is checked when the form is sent, as typing would be)."""
    session_id = parse_id(params.get("session", ""), what="session")
    item, _ = await breakout_session(context, session_id)
    return topic_form(item.id)
