"""Bounded concurrency with per-chat order for python-telegram-bot's update processing.

A handful of updates run at once (more only adds contention in the HTTP client, see DESIGN.md); updates
of one chat run one after another in arrival order, so a fast double tap cannot race against itself.
A chat waiting for its previous update does not hold one of the running slots, and neither does an
update waiting for Telegram (flood control, back-off, the per-chat message rate): the delivery policy
waits inside :func:`slot_released`, so one throttled chat never stalls the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

_SLOT: ContextVar[asyncio.Semaphore | None] = ContextVar("update_slot", default=None)


@asynccontextmanager
async def slot_released() -> AsyncIterator[None]:
    """Inside an update run by :class:`PerChatUpdateProcessor`: lend the running slot to another update
    for the duration of the block (a wait), and take it back afterwards. Elsewhere: does nothing."""
    slot = _SLOT.get()
    if slot is None:
        yield
        return
    slot.release()
    try:
        yield
    finally:
        # Shielded: if cancelled here, the slot is still taken back, so the count stays balanced.
        await asyncio.shield(slot.acquire())


def chat_key(update: object) -> int | None:
    """The chat an update belongs to (the user for button presses on inline messages), if any."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs up to ``concurrency`` updates at once, each chat's updates strictly in order."""

    def __init__(self, concurrency: int, backlog: int = 256) -> None:
        # The base class bounds how many updates may be in flight (running or waiting for their chat).
        super().__init__(max(backlog, concurrency))
        self.concurrency = concurrency
        self._running: asyncio.Semaphore | None = None
        self._chats: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def initialize(self) -> None:
        """Create the semaphore on the running loop."""
        self._running = asyncio.Semaphore(self.concurrency)

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates, then for a free slot, then process."""
        if self._running is None:
            self._running = asyncio.Semaphore(self.concurrency)
        key = chat_key(update)
        if key is None:
            async with self._running:
                await self._run(coroutine)
            return
        lock = self._chats.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock, self._running:
                await self._run(coroutine)
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._chats[key]

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        token = _SLOT.set(self._running)
        try:
            await coroutine
        finally:
            _SLOT.reset(token)

    @property
    def waiting_chats(self) -> int:
        """Chats with an update running or waiting (for monitoring and tests)."""
        return len(self._chats)
