"""Payment reminders kept beside the sessions (same SQLite file or Redis), with an exactly-once claim.

A :class:`Reminder` is one chat's reminder for one identity (``key``: ``res`` or ``flex``; setting it
again replaces it). ``due`` is when it should go out; ``useful_until`` is the last moment sending it
still helps (the end of the collection window, or a few days after a monthly date): a reminder found
after that (the bot was down) is dropped with a log line instead of being sent late. ``day`` is the
day of the month of a monthly reminder (0: a one-off reminder).

Exactly once across instances: :meth:`ReminderStore.claim_due` hands each due reminder to one caller
only, in one atomic step in the backend (SQLite: one ``UPDATE … RETURNING``; Redis: one Lua script).
A claim is a lease: the reminder's next check time moves ``lease`` seconds ahead and it carries the
claimer's token. :meth:`ReminderStore.finish` then deletes it (one-off) or moves it to its next date
(monthly), but only while the token still matches, so a reminder changed by the user meanwhile is
kept. An instance that dies holding a claim loses nothing: the lease runs out and another instance
claims the reminder again (the only case where a reminder can go out twice is a crash between the
send and :meth:`finish`).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from bot.session import STEPS

KEYS: tuple[str, ...] = ("res", "flex")  # one reminder per identity and chat
LEASE = 600.0  # seconds a claimed reminder stays with its claimer before anyone may claim it again


@dataclass(frozen=True)
class Reminder:
    """One chat's reminder: what it is about (the wizard's slots), when it is due, until when it helps."""

    chat_id: int
    key: str
    due: float  # Unix time
    useful_until: float  # Unix time
    slots: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    day: int = 0  # monthly on this day of the month; 0: once
    year: int = 0  # the coverage year a resident's reminder is for (0: monthly or unknown)
    official: bool = False  # True when ``useful_until`` is the official end of the collection window

    def to_json(self) -> str:
        """Compact JSON of everything but ``chat_id`` and ``key`` (the store's row key)."""
        data: dict[str, Any] = {"d": self.due, "u": self.useful_until, "s": dict(self.slots)}
        if self.day:
            data["m"] = self.day
        if self.year:
            data["y"] = self.year
        if self.official:
            data["o"] = 1
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, chat_id: int, key: str, text: str | bytes) -> Reminder | None:
        """Parse :meth:`to_json` output; None for anything malformed."""
        try:
            raw = json.loads(text)
            slots = {k: str(v) for k, v in raw["s"].items() if k in STEPS and isinstance(v, str)}
            return cls(
                chat_id,
                key,
                float(raw["d"]),
                float(raw["u"]),
                MappingProxyType(slots),
                int(raw.get("m", 0)),
                int(raw.get("y", 0)),
                bool(raw.get("o", 0)),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


@dataclass(frozen=True)
class Claimed:
    """A reminder handed to one sender, with the token that lets it finish the reminder."""

    reminder: Reminder
    token: str


class ReminderStore(ABC):
    """Reminders of every chat, in the backend of a :class:`~bot.store.base.SessionStore`."""

    async def open(self) -> None:  # noqa: B027 - optional hook
        """Create tables; called after the session store is open."""

    @abstractmethod
    async def put(self, reminder: Reminder) -> None:
        """Add the reminder, or replace the chat's reminder with the same key (any claim is void)."""

    @abstractmethod
    async def of_chat(self, chat_id: int) -> list[Reminder]:
        """The chat's reminders, soonest first."""

    @abstractmethod
    async def cancel(self, chat_id: int, key: str) -> bool:
        """Delete one reminder; True if it existed."""

    @abstractmethod
    async def forget(self, chat_id: int) -> int:
        """Delete every reminder of the chat (/forget, or the chat blocked the bot); how many."""

    @abstractmethod
    async def claim_due(self, now: float, limit: int, token: str, lease: float = LEASE) -> list[Claimed]:
        """Atomically take up to ``limit`` reminders due at ``now`` (soonest first) for ``token``."""

    @abstractmethod
    async def finish(self, claimed: Claimed, next_due: Reminder | None) -> bool:
        """Delete the claimed reminder, or store ``next_due`` in its place (monthly); only while the
        claim holds (the user did not change it meanwhile). True if it was finished."""

    @abstractmethod
    async def count(self) -> int:
        """How many reminders are kept (for figures and tests)."""


def member(chat_id: int, key: str) -> str:
    """The ``chat:key`` name of a reminder in sets and logs."""
    return f"{chat_id}:{key}"
