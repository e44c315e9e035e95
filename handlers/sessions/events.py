"""What happens to sessions that other features act on, without sessions knowing them.

The sessions feature publishes these through the router's registry; breakouts, for one,
listens, and gives up a person's room with their place.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import NetworkSession


@dataclass(frozen=True, slots=True)
class PlaceGivenUp:
    """Someone's place at a session ended (cancel, leave, withdraw consent, forget me)."""

    session: NetworkSession
    user_id: int


@dataclass(frozen=True, slots=True)
class SessionCancelled:
    """A lead cancelled a session: nothing planned for it may still go out."""

    session: NetworkSession
