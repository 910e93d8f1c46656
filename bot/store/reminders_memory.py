"""Reminders in a dict: for the memory session store (one process; claims are trivially atomic)."""

from __future__ import annotations

from bot.store.reminders import LEASE, Claimed, Reminder, ReminderStore


class MemoryReminderStore(ReminderStore):
    """Reminders of this process only."""

    def __init__(self) -> None:
        # (chat, key) -> [reminder, next check time, claim token]
        self._rows: dict[tuple[int, str], tuple[Reminder, float, str]] = {}

    async def put(self, reminder: Reminder) -> None:
        """Add or replace (an earlier claim is void)."""
        self._rows[(reminder.chat_id, reminder.key)] = (reminder, reminder.due, "")

    async def of_chat(self, chat_id: int) -> list[Reminder]:
        """The chat's reminders, soonest first."""
        return sorted((r for (c, _), (r, _, _) in self._rows.items() if c == chat_id), key=lambda r: r.due)

    async def cancel(self, chat_id: int, key: str) -> bool:
        """Delete one reminder."""
        return self._rows.pop((chat_id, key), None) is not None

    async def forget(self, chat_id: int) -> int:
        """Delete the chat's reminders."""
        keys = [k for k in self._rows if k[0] == chat_id]
        for k in keys:
            del self._rows[k]
        return len(keys)

    async def claim_due(self, now: float, limit: int, token: str, lease: float = LEASE) -> list[Claimed]:
        """Take due reminders for ``token``."""
        due = sorted((at, k) for k, (_, at, _) in self._rows.items() if at <= now)[:limit]
        out = []
        for _, k in due:
            reminder = self._rows[k][0]
            self._rows[k] = (reminder, now + lease, token)
            out.append(Claimed(reminder, token))
        return out

    async def finish(self, claimed: Claimed, next_due: Reminder | None) -> bool:
        """Delete or reschedule while the claim holds."""
        k = (claimed.reminder.chat_id, claimed.reminder.key)
        row = self._rows.get(k)
        if row is None or row[2] != claimed.token:
            return False
        if next_due is None:
            del self._rows[k]
        else:
            self._rows[k] = (next_due, next_due.due, "")
        return True

    async def count(self) -> int:
        """How many reminders are kept."""
        return len(self._rows)
