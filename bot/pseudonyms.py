"""Pseudonyms: how a person appears in logs.

A log line never names a person: where an operator needs to tell one person's requests
from another's (a run of failures, a flood), it carries a keyed hash of the person's key,
HMAC-SHA256 truncated to 12 hex characters. It is stable for one person in one
deployment, differs between deployments, and cannot be turned back into the person
without the key: whoever reads the logs alone learns nothing about who did what. Whoever
also holds the key (in the configuration or in the database) can check a guess, which
is why the key never goes into a log and why database operators are trusted anyway.

The key is `[privacy] log_pseudonym_key` (environment: ALLYBOT_LOG_PSEUDONYM_KEY). Left
unset, a random key is made the first time the bot starts on a database and kept there
(`deployment_secrets`), so that restarts and replicas keep the same pseudonyms.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from storage.database import Database
from storage.secrets import SecretRepository

LOG_PSEUDONYM_KEY = "log_pseudonym_key"
PSEUDONYM_HEX_CHARS = 12


@dataclass(frozen=True, slots=True)
class Pseudonyms:
    key: bytes = field(repr=False)

    @classmethod
    def ephemeral(cls) -> Pseudonyms:
        """Pseudonyms stable only within this process: for tools and tests that loaded no key,
        so that even they never log a person's key."""
        return cls(secrets.token_bytes(32))

    def of(self, person_key: str) -> str:
        """The pseudonym of `platform:id` in this deployment's logs."""
        digest = hmac.new(self.key, person_key.encode(), hashlib.sha256).hexdigest()
        return digest[:PSEUDONYM_HEX_CHARS]


async def load_pseudonyms(settings: Settings, database: Database, clock: Clock) -> Pseudonyms:
    """The configured key, else the one this database keeps (made on first use)."""
    configured = settings.privacy.log_pseudonym_key
    if configured:
        return Pseudonyms(configured.encode())
    async with database.transaction() as session:
        kept = await SecretRepository(session).get_or_create(
            LOG_PSEUDONYM_KEY, lambda: secrets.token_hex(32), clock.now()
        )
    return Pseudonyms(kept.encode())
