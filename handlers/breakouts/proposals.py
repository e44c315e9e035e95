"""A breakout topic from proposal to approval: members host or propose one, rename or
withdraw it; with approval on, the network's leads approve or decline it.

Offering to host or take notes for someone else's topic is in `handlers.breakouts.volunteers`.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.messages import Button, ButtonStyle, Call, Mention, Reply, chosen
from bot.router import HandlerContext
from handlers.breakouts.arguments import (
    ApproveTopic,
    DeclineTopic,
    Hosting,
    LedTopic,
    Proposal,
    RenameTopic,
    WithdrawTopic,
)
from handlers.breakouts.common import (
    breakout_session,
    changeable_topic,
    checked_title,
    may_change,
    still_changeable,
    tell_users,
    topic_in_its_session,
    user_for_key,
)
from handlers.breakouts.posts import replan_for
from handlers.pages import item_label
from handlers.sessions.person_keys import person_key
from storage.models import BreakoutSettings, BreakoutTopic, NetworkSession, User
from storage.repositories import BreakoutRepository, NetworkRepository
from storage.statuses import TopicStatus

MAX_REASON_CHARS = 500


def _round_of(settings: BreakoutSettings, number: int | None) -> int:
    if number is None:
        return 1
    if not 1 <= number <= settings.rounds:
        rounds = "1 round" if settings.rounds == 1 else f"{settings.rounds} rounds"
        raise UserError(f"That session has {rounds} of breakouts, so there's no round {number}.")
    return number


async def _cohost_of(context: HandlerContext, typed: str) -> User:
    if not typed.startswith("<@") and len(chosen(typed)) > 1:
        # The form's people picker lets someone choose several; a topic has one co-host.
        raise UserError("Choose one co-host (a topic has one).", field="cohost")
    try:
        key = person_key(context, typed)
    except UserError as error:
        raise UserError(error.message, field="cohost") from error
    cohost = await user_for_key(context, key)
    if cohost.id == context.user.id:
        raise UserError(
            "You're already the host, so you can't be your own co-host.", field="cohost"
        )
    return cohost


async def _propose(context: HandlerContext, given: Proposal, hosting: bool) -> Reply:
    item, settings = await breakout_session(context, given.session)
    still_changeable(context, item, settings)
    cohost = None
    if isinstance(given, Hosting) and given.cohost:
        cohost = await _cohost_of(context, given.cohost)
    round_number = _round_of(settings, given.round)
    title = checked_title(given.title)
    repository = BreakoutRepository(context.session)
    taken = await repository.topics(item.id, (TopicStatus.PROPOSED, TopicStatus.APPROVED))
    if any(t.title.lower() == title.lower() and t.round == round_number for t in taken):
        raise UserError(
            f"There's already a topic called “{title}” for session {item.id}. "
            f"`topics {item.id}` lists them; `host topic <number>` offers to host one.",
            field="title",
        )
    topic = BreakoutTopic(
        session_id=item.id,
        round=round_number,
        title=title,
        status=TopicStatus.PROPOSED if settings.approval else TopicStatus.APPROVED,
        proposer_user_id=context.user.id,
        host_user_id=context.user.id if hosting else None,
        cohost_user_id=cohost.id if cohost is not None else None,
        created_at=context.now,
        updated_at=context.now,
    )
    await repository.add(topic)
    await replan_for(context, item, settings)
    who = "you host it" if hosting else "nobody hosts it yet"
    if cohost is not None:
        context.notify(
            cohost.key,
            Reply(
                text=f"{context.request.person.name} put you forward to co-host “{title}” at "
                f"{item.title}. If that's not right, tell them, or `withdraw topic {topic.id}`."
            ),
        )
        cohost_name = await context.services.names.name(cohost.key, cohost.display_name)
        who = f"you host it with {Mention(cohost.key, cohost_name)}"
    if settings.approval:
        await _ask_leads(context, item, topic)
        return Reply(
            text=f"Thank you! “{title}” (topic {topic.id}, {who}) is waiting for the leads to "
            "approve it; I'll tell you when they do."
        )
    return Reply(
        text=f"Thank you! “{title}” (topic {topic.id}) is on the list for {item.title}, and "
        f"{who}. Change the title with `rename topic {topic.id} <new title>`.",
        buttons=(Button("See the topics", call=Call.of("topics", session=item.id)),),
    )


async def _ask_leads(context: HandlerContext, item: NetworkSession, topic: BreakoutTopic) -> None:
    for lead in await NetworkRepository(context.session).leads(item.network_id):
        context.notify(
            lead,
            Reply(
                text=f"New breakout topic for {item.title}: “{topic.title}” (topic {topic.id}). "
                f"`approve topic {topic.id}`, or `decline topic {topic.id} <reason>` (the reason "
                "goes privately to whoever proposed it).",
                buttons=(
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
                ),
            ),
        )


async def host(context: HandlerContext) -> Reply:
    return await _propose(context, context.given(Hosting), hosting=True)


async def propose(context: HandlerContext) -> Reply:
    return await _propose(context, context.given(Proposal), hosting=False)


async def rename(context: HandlerContext) -> Reply:
    given = context.given(RenameTopic)
    topic, item, settings = await changeable_topic(context, given.topic)
    if not may_change(context, item, topic):
        raise UserError(f"Only the hosts of topic {topic.id} (or the leads) can rename it.")
    title = checked_title(given.title)
    topic.title = title
    topic.updated_at = context.now
    await replan_for(context, item, settings)
    return Reply(text=f"Topic {topic.id} is now called “{title}”.")


async def withdraw(context: HandlerContext) -> Reply:
    topic, item, settings = await changeable_topic(context, context.given(WithdrawTopic).topic)
    if not may_change(context, item, topic):
        raise UserError(f"Only the hosts of topic {topic.id} (or the leads) can withdraw it.")
    topic.status = TopicStatus.WITHDRAWN
    topic.updated_at = context.now
    moved = await BreakoutRepository(context.session).remove_picks(topic.id)
    for user in moved:
        context.notify(
            user.key,
            Reply(
                text=f"“{topic.title}” has been withdrawn from {item.title}, so please pick "
                f"another room: `topics {item.id}`.",
                buttons=(Button("See the topics", call=Call.of("topics", session=item.id)),),
            ),
        )
    await replan_for(context, item, settings)
    told = " Everyone who had picked it has been told privately." if moved else ""
    return Reply(text=f"Topic {topic.id}, “{topic.title}”, is withdrawn.{told}")


async def _led_topic(
    context: HandlerContext, given: LedTopic
) -> tuple[BreakoutTopic, NetworkSession, BreakoutSettings]:
    topic, item, settings = await topic_in_its_session(context, given.topic_id())
    if not context.roles.leads(item.network_id):
        raise UserError(f"Only the leads of session {item.id}'s network can do that.")
    still_changeable(context, item, settings)
    if topic.status != TopicStatus.PROPOSED:
        raise UserError(f"Topic {topic.id} is {topic.status}, not waiting for approval.")
    return topic, item, settings


def _proposers(topic: BreakoutTopic) -> list[int]:
    people = (topic.proposer_user_id, topic.host_user_id, topic.cohost_user_id)
    return list(dict.fromkeys(key for key in people if key is not None))


async def approve(context: HandlerContext) -> Reply:
    topic, item, settings = await _led_topic(context, context.given(ApproveTopic))
    topic.status = TopicStatus.APPROVED
    topic.updated_at = context.now
    await replan_for(context, item, settings)
    await tell_users(
        context,
        _proposers(topic),
        Reply(
            text=f"Good news: “{topic.title}” is approved for {item.title} and on the list "
            f"(`topics {item.id}`). Thank you for volunteering!"
        ),
    )
    return Reply(text=f"Approved topic {topic.id}, “{topic.title}”; its hosts have been told.")


async def decline(context: HandlerContext) -> Reply:
    given = context.given(DeclineTopic)
    topic, item, _settings = await _led_topic(context, given)
    reason = given.reason
    if len(reason) > MAX_REASON_CHARS:
        raise UserError(f"Please keep the reason to {MAX_REASON_CHARS} characters.")
    topic.status = TopicStatus.DECLINED
    topic.updated_at = context.now
    because = f" The leads said: “{reason}”" if reason else ""
    await tell_users(
        context,
        _proposers(topic),
        Reply(
            text=f"Thank you for proposing “{topic.title}” for {item.title}. The leads have "
            f"decided not to include it this time.{because}"
        ),
    )
    told = " with your reason" if reason else ""
    return Reply(text=f"Declined topic {topic.id}; whoever proposed it was told privately{told}.")
