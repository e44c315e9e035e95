"""Who may use a command: its audience, and the roles of the person asking."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    EVERYONE = "everyone"
    LEAD = "lead"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Roles:
    admin: bool = False
    lead_of: frozenset[int] = frozenset()

    def may_use(self, audience: Audience) -> bool:
        if audience is Audience.EVERYONE:
            return True
        if audience is Audience.LEAD:
            return self.admin or bool(self.lead_of)
        return self.admin

    def leads(self, network_id: int) -> bool:
        """Whether this person may act as a lead of one network (admins may act for any)."""
        return self.admin or network_id in self.lead_of
