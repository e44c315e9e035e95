"""The fake Slack's channel history: the messages it accepted, served back by
`conversations.history` as Slack does (newest first, paged, metadata only when asked), and
the message timestamps it hands out (epoch seconds, unique and increasing, like Slack's).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

BOT_ID = "BBOT0001"


class _Recorded(Protocol):
    method: str
    body: dict[str, Any]


@dataclass(slots=True)
class ChannelHistory:
    # The clock message timestamps are taken from (a test can pass its own).
    now: Callable[[], float] = time.time
    # channel id -> the messages posted there, oldest first.
    channels: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _last_ts: float = 0.0

    def next_ts(self) -> str:
        # Unique and increasing: a message's ts is also its id in the channel.
        self._last_ts = max(self.now(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"

    def keep(self, body: dict[str, Any], ts: str, user: str) -> None:
        """A message chat.postMessage accepted."""
        message: dict[str, Any] = {
            "type": "message",
            "ts": ts,
            "text": body.get("text", ""),
            "bot_id": BOT_ID,
            "user": user,
        }
        if isinstance(body.get("metadata"), dict):
            message["metadata"] = body["metadata"]
        self.channels.setdefault(str(body.get("channel", "")), []).append(message)

    def page(self, body: dict[str, Any], known: bool) -> dict[str, Any]:
        """What conversations.history answers; `known`: the channel exists otherwise."""
        channel = str(body.get("channel", ""))
        if channel not in self.channels and not known:
            return {"ok": False, "error": "channel_not_found"}
        oldest = float(body.get("oldest") or 0)
        latest = float(body.get("latest") or "inf")
        inclusive = str(body.get("inclusive", "")).lower() in ("1", "true")
        with_metadata = str(body.get("include_all_metadata", "")).lower() in ("1", "true")

        def within(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        newest_first = [
            message
            if with_metadata
            else {key: value for key, value in message.items() if key != "metadata"}
            for message in reversed(self.channels.get(channel, []))
            if within(float(message["ts"]))
        ]
        start = int(body.get("cursor") or 0)
        limit = int(body.get("limit") or 100)
        more = start + limit < len(newest_first)
        return {
            "ok": True,
            "messages": newest_first[start : start + limit],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }


def posted_outbox_ids(calls: Sequence[_Recorded]) -> list[str]:
    """The outbox id of every scheduled post sent, in order (a repeat is a duplicate)."""
    return [
        str(call.body["metadata"]["event_payload"]["outbox_id"])
        for call in calls
        if call.method == "chat.postMessage" and isinstance(call.body.get("metadata"), dict)
    ]
