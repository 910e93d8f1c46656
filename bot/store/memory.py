"""A session store in a dict: for the terminal, tests and single-process runs that need no persistence."""

from __future__ import annotations

import time
from dataclasses import replace

from bot.store.base import ChatRecord, SessionStore
from bot.store.memory_feedback import MemoryFeedback


class MemorySessionStore(MemoryFeedback, SessionStore):
    """Records live in this process only. Compare-and-set is trivially atomic on one event loop."""

    def __init__(self) -> None:
        self._rows: dict[int, ChatRecord] = {}
        self._saved_at: dict[int, float] = {}

    async def load(self, chat_id: int) -> ChatRecord:
        """The chat's record, or a fresh one."""
        return self._rows.get(chat_id) or ChatRecord()

    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        """Write if the revision matches; None on conflict."""
        current = self._rows.get(chat_id)
        if (current.rev if current else 0) != record.rev:
            return None
        saved = replace(record, rev=record.rev + 1)
        self._rows[chat_id] = saved
        self._saved_at[chat_id] = time.time()
        return saved

    async def set_active(self, chat_id: int, active: bool) -> None:
        """Flip the chat's ``active`` flag (a change, so the revision moves on)."""
        current = self._rows.get(chat_id)
        if current is None and not active:
            await self.save(chat_id, ChatRecord(active=False))
        elif current is not None and current.active != active:
            self._rows[chat_id] = replace(current, active=active, rev=current.rev + 1)

    async def forget(self, chat_id: int) -> bool:
        """Drop the chat's record."""
        self._saved_at.pop(chat_id, None)
        return self._rows.pop(chat_id, None) is not None

    async def purge(self, cutoff: float) -> int:
        """Drop records saved before ``cutoff``."""
        old = [chat for chat, at in self._saved_at.items() if at < cutoff]
        for chat in old:
            await self.forget(chat)
        return len(old)
