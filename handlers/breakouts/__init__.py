"""Breakout rooms for a session: members propose and host topics, volunteer to take notes and
pick a room; the network's leads set breakouts up, approve topics, see the rooms and place
people. Everything the feature adds to the router and to `my` is registered here, once.

- `common`: finding a session's breakouts and topics, and the wording they share
- `settings`: the lead turns breakouts on and sets rounds, size, opening and closing
- `proposals`: host or propose a topic, rename or withdraw it; leads approve or decline it
- `volunteers`: offer to host someone's topic, take its notes
- `topics`: the `topics` list and the form to propose a topic
- `picks`: picking a room, and the person's rooms in `my`
- `rooms` and `exports`: the leads' room lists (and CSV), placing people without a room
- `posts`: the channel posts and the hosts' lists, planned through the outbox
"""

from __future__ import annotations

from bot.router import Audience, Command, Router
from handlers.breakouts import session_events
from handlers.breakouts.arguments import (
    USAGE,
    ApproveTopic,
    BreakoutSetup,
    DeclineTopic,
    Hosting,
    OfferToHost,
    PickRoom,
    Place,
    Proposal,
    RenameTopic,
    Rooms,
    TakeNotes,
    TopicsList,
    WithdrawTopic,
)
from handlers.breakouts.picks import my_breakouts, pick
from handlers.breakouts.post_keys import BREAKOUT, describe_breakout_post, open_signup_posts
from handlers.breakouts.proposals import approve, decline, host, propose, rename, withdraw
from handlers.breakouts.rooms import place, rooms
from handlers.breakouts.settings import configure
from handlers.breakouts.topics import TOPIC_FORM, build_topic_form, list_topics
from handlers.breakouts.volunteers import offer_to_host, take_notes
from handlers.sessions.events import PlaceGivenUp, SessionCancelled


def register(router: Router) -> None:
    """The members' commands, then the leads': the order `help` shows them in."""
    router.add_my_part(my_breakouts)
    router.registry.listen(PlaceGivenUp, session_events.leave_with_place)
    router.registry.listen(SessionCancelled, session_events.unplan_posts)
    router.registry.describe_posts(BREAKOUT, describe_breakout_post)
    router.registry.keep_posts(open_signup_posts)
    router.add_form(TOPIC_FORM, build_topic_form)
    for command in (
        Command(
            phrase="topics",
            handler=list_topics,
            summary="a session's breakout topics, their hosts and places left, 10 at a time",
            usage="topics <session> [page <n>]",
            arguments=TopicsList,
        ),
        Command(
            phrase="host",
            handler=host,
            summary="propose a breakout topic and host it (optionally with a co-host)",
            usage="host <session> [round <n>] <topic> [with <person>]",
            arguments=Hosting,
        ),
        Command(
            phrase="propose",
            handler=propose,
            summary="suggest a breakout topic for someone else to host",
            usage="propose <session> [round <n>] <topic>",
            arguments=Proposal,
        ),
        Command(
            phrase="host topic",
            handler=offer_to_host,
            summary="offer to host (or co-host) a topic",
            usage="host topic <number>",
            arguments=OfferToHost,
        ),
        Command(
            phrase="notes",
            handler=take_notes,
            summary="volunteer to take notes for a breakout room",
            usage="notes <topic number>",
            arguments=TakeNotes,
        ),
        Command(
            phrase="rename topic",
            handler=rename,
            summary="change your topic's title",
            usage="rename topic <number> <new title>",
            arguments=RenameTopic,
        ),
        Command(
            phrase="withdraw topic",
            handler=withdraw,
            summary="take your topic off the list",
            usage="withdraw topic <number>",
            arguments=WithdrawTopic,
        ),
        Command(
            phrase="pick",
            handler=pick,
            summary="pick the breakout room you'd like to join",
            usage="pick <session> <topic number or title>",
            arguments=PickRoom,
        ),
        Command(
            phrase="breakouts",
            handler=configure,
            summary="turn on breakout rooms for a session and set them up",
            usage=USAGE,
            audience=Audience.LEAD,
            arguments=BreakoutSetup,
        ),
        Command(
            phrase="approve topic",
            handler=approve,
            summary="approve a proposed breakout topic",
            usage="approve topic <number>",
            audience=Audience.LEAD,
            arguments=ApproveTopic,
        ),
        Command(
            phrase="decline topic",
            handler=decline,
            summary="decline a proposed topic (the reason goes privately to its host)",
            usage="decline topic <number> [reason]",
            audience=Audience.LEAD,
            arguments=DeclineTopic,
        ),
        Command(
            phrase="rooms",
            handler=rooms,
            summary="who is in which breakout room, 20 rooms at a time (add `csv` for a file)",
            usage="rooms <session> [csv] [page <n>]",
            audience=Audience.LEAD,
            arguments=Rooms,
        ),
        Command(
            phrase="place",
            handler=place,
            summary="put people without a room into rooms with space",
            usage="place <session>",
            audience=Audience.LEAD,
            arguments=Place,
        ),
    ):
        router.add(command)
