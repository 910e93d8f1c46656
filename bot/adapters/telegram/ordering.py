"""Bounded concurrency with per-chat order, and per-chat bounds, for python-telegram-bot's processing.

A handful of updates run at once (more only adds contention in the HTTP client, see DESIGN.md); updates
of one chat run one after another in arrival order, so a fast double tap cannot race against itself.
A chat waiting for its previous update does not hold one of the running slots, and neither does an
update waiting for Telegram (flood control, back-off, the per-chat message rate): the delivery policy
waits inside :func:`slot_released`, so one throttled chat never stalls the others.

Waits for the bot's overall flood limit are different: every update waits for it, in one queue, first
come first served. An update that waits there has its answer built (page, keyboard, request: about
60 KB), and with its slot lent the next update builds its answer and joins the queue too, so under
saturation every pending update would be built and waiting (200 users: 12 MiB). So at most
``lent_for_shared`` updates wait for that limit with a lent slot (``slot_released(shared=True)``; a
second of sends keeps the pacer busy); further ones keep their slot until one of those is sent, and
the updates behind them stay unprocessed, a few KB each. The queues are FIFO at every stage (slots,
lent places, the pacer), so the order stays first come, first served.

Fairness (issue 15): Telegram lets the bot send one chat about one message a second, so a chat that
sends hundreds of messages would otherwise queue hundreds of updates, each waiting for the chat's turn,
and fill the backlog every other chat's updates wait in. So each chat may have at most
``messages_per_chat`` messages (and ``presses_per_chat`` button presses, which are answered by edits
that are not rate-limited) running or waiting. Beyond that an update is dropped: a button press gets a
short toast at once (every press must be answered), and the first message dropped in a burst gets one
short notice; the rest are not processed. Nothing else is shared per chat, so other chats are answered
at once whatever one chat does, and stopping waits for at most a few updates per chat.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)


class Running:
    """The processing slots: a semaphore whose waiters are served in order, updates coming back from a
    wait (their answer sent, a few lines of work left) before updates not yet started. Otherwise an
    answered update would queue behind every unprocessed one, holding its page and request meanwhile."""

    __slots__ = ("_queues", "free")

    def __init__(self, slots: int) -> None:
        self.free = slots
        self._queues: tuple[deque[asyncio.Future[None]], deque[asyncio.Future[None]]] = (deque(), deque())

    async def acquire(self, returning: bool = False) -> None:
        """Take a slot, waiting after the earlier waiters (returning ones first)."""
        if self.free > 0 and not any(self._queues):
            self.free -= 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queues[0 if returning else 1].append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release()  # handed a slot just as it was cancelled: pass it on
            raise

    def release(self) -> None:
        """Give the slot to the longest waiter (returning ones first), else free it."""
        for queue in self._queues:
            while queue:
                turn = queue.popleft()
                if not turn.done():
                    turn.set_result(None)
                    return
        self.free += 1

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self.release()


class _Slots:
    """The processing slots of one update processor, and the places for lending them to waits for the
    shared flood limit (None: unbounded)."""

    __slots__ = ("lent", "running")

    def __init__(self, running: Running, lent: asyncio.Semaphore | None) -> None:
        self.running, self.lent = running, lent


_SLOT: ContextVar[_Slots | None] = ContextVar("update_slot", default=None)
# A burst of three at once, then one a second: about eight seconds of answers (a chat's backlog after a
# short outage fits). Without a per-chat rate (TELEGRAM_RATE_LIMIT=0) a backlog drains at once, and
# the bound is only a safety net: UNTHROTTLED_PER_CHAT.
MESSAGES_PER_CHAT = 10
UNTHROTTLED_PER_CHAT = 1000
PRESSES_PER_CHAT = 32  # a press costs an edit and a toast, neither rate-limited per chat
# Seconds of sends at the overall flood limit that may wait built, with a lent slot (lent_for_shared is
# this times TELEGRAM_RATE_LIMIT): enough to keep the pacer busy while the next answers are built (the
# bot benchmark: the same 21.3 updates/s at 27/s with 1 s as with 2 s, and 1.6 MiB less at the peak).
LENT_SECONDS = 1
OVERFLOW_LANE = 2  # dropped updates answered at once (a toast each)
# Called for an update dropped because its chat has too many waiting: (update, first of its burst).
Overflow = Callable[[Update, bool], Awaitable[None]]


@asynccontextmanager
async def slot_released(shared: bool = False) -> AsyncIterator[None]:
    """Inside an update run by :class:`PerChatUpdateProcessor`: lend the running slot to another update
    for the duration of the block (a wait), and take it back afterwards. Elsewhere: does nothing.
    ``shared``: a wait for the bot's overall flood limit, which lends the slot only while fewer than the
    processor's ``lent_for_shared`` such waits do (in turn; see the module docstring)."""
    slots = _SLOT.get()
    if slots is None:
        yield
        return
    place = slots.lent if shared else None
    if place is not None:
        await place.acquire()  # holding the slot: the updates behind it wait unprocessed
    slots.running.release()
    try:
        yield
    finally:
        if place is not None:
            place.release()
        # Shielded: if cancelled here, the slot is still taken back, so the count stays balanced.
        await asyncio.shield(slots.running.acquire(returning=True))


def chat_key(update: object) -> int | None:
    """The chat an update belongs to (the user for button presses on inline messages), if any."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


class _Chat:
    """One chat's turn and how many of its updates are running or waiting."""

    __slots__ = ("lock", "messages", "noticed", "presses", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = self.messages = self.presses = 0
        self.noticed = False  # the notice for this burst was sent


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs up to ``concurrency`` updates at once, each chat's updates strictly in order, with at most
    ``messages_per_chat`` messages and ``presses_per_chat`` presses of one chat in flight."""

    def __init__(
        self,
        concurrency: int,
        backlog: int = 100_000,
        messages_per_chat: int = MESSAGES_PER_CHAT,
        presses_per_chat: int = PRESSES_PER_CHAT,
        on_overflow: Overflow | None = None,
        lent_for_shared: int | None = None,
    ) -> None:
        # The base class bounds how many updates may be in flight; the per-chat bounds are what keep one
        # chat from taking that backlog, so it is only a last resort.
        super().__init__(max(backlog, concurrency))
        self.concurrency = concurrency
        self.messages_per_chat, self.presses_per_chat = messages_per_chat, presses_per_chat
        self.on_overflow = on_overflow
        self.lent_for_shared = lent_for_shared
        self.dropped = 0  # updates not processed because their chat had too many in flight
        self._slots: _Slots | None = None
        self._overflow: asyncio.Semaphore | None = None
        self._chats: dict[int, _Chat] = {}

    async def initialize(self) -> None:
        """Create the semaphores on the running loop."""
        self._new_slots()

    def _new_slots(self) -> _Slots:
        lent = None if self.lent_for_shared is None else asyncio.Semaphore(self.lent_for_shared)
        self._slots = _Slots(Running(self.concurrency), lent)
        return self._slots

    @property
    def free_slots(self) -> int:
        """Processing slots free now (for tests)."""
        return self.concurrency if self._slots is None else self._slots.running.free

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Drop the update if its chat has too many in flight; else wait for the chat's earlier updates,
        then for a free slot, then process."""
        slots = self._slots or self._new_slots()
        key = chat_key(update)
        if key is None:
            async with slots.running:
                await self._run(coroutine)
            return
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = _Chat()
        press = isinstance(update, Update) and update.callback_query is not None
        if (chat.presses >= self.presses_per_chat) if press else (chat.messages >= self.messages_per_chat):
            await self._drop(update, coroutine, chat)
            return
        chat.users += 1
        if press:
            chat.presses += 1
        else:
            chat.messages += 1
        try:
            async with chat.lock, slots.running:
                await self._run(coroutine)
        finally:
            chat.users -= 1
            if press:
                chat.presses -= 1
            else:
                chat.messages -= 1
            if not chat.users:
                del self._chats[key]

    async def _drop(self, update: object, coroutine: Awaitable[Any], chat: _Chat) -> None:
        """Do not process ``update``; answer it as :attr:`on_overflow` says."""
        self.dropped += 1
        if isinstance(coroutine, Coroutine):
            coroutine.close()  # never started: closing it avoids "never awaited"
        first = not chat.noticed
        chat.noticed = True
        if first:
            log.warning("chat %s: too many updates waiting; dropping the excess", chat_key(update))
        if self.on_overflow is None or not isinstance(update, Update):
            return
        # Not in a running slot, which other chats' updates would then queue behind, but a few at a time
        # in their own lane, so a flood of these cannot crowd out everything else either.
        if self._overflow is None:
            self._overflow = asyncio.Semaphore(OVERFLOW_LANE)
        async with self._overflow:
            await self.on_overflow(update, first)

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        token = _SLOT.set(self._slots)
        try:
            await coroutine
        finally:
            _SLOT.reset(token)

    @property
    def waiting_chats(self) -> int:
        """Chats with an update running or waiting (for monitoring and tests)."""
        return len(self._chats)
