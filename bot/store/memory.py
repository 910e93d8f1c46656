"""A session store in a dict: for the terminal, tests and single-process runs that need no persistence."""

from __future__ import annotations

from dataclasses import replace

from bot.store.base import ChatRecord, SessionStore


class MemorySessionStore(SessionStore):
    """Records live in this process only. Compare-and-set is trivially atomic on one event loop."""

    def __init__(self) -> None:
        self._rows: dict[int, ChatRecord] = {}

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
        return saved
