"""Exactly-once delivery of webhook updates: each chat's updates one at a time, duplicates dropped.

Telegram sends a chat's next webhook update only after the previous one was acknowledged with a 2xx
answer, and retries an update whose answer it did not get (timeouts, dropped connections), possibly to
another instance behind the proxy. So the webhook server acknowledges an update only after processing
it, and runs it through a gate:

* :meth:`UpdateGate.turn` — one update of a chat at a time, across every instance sharing the gate;
* :meth:`UpdateGate.seen` / :meth:`UpdateGate.done` — inside the turn, an update already processed is
  recognised by its id and acknowledged without being processed again.

An update is marked done after it was processed, and already just before its first answer goes out to
Telegram (the webhook server arranges that, see ``adapters/telegram/answering.py``): an instance that
dies after its answer left cannot leave the update to be answered again by another instance. A crash
before that makes Telegram deliver the update again, and it is processed then (a button carries the
session version, so a press applied twice is answered as stale).
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

# Telegram drops an undeliverable webhook update after about 23 hours; remember processed ids that long.
SEEN_TTL = 24 * 3600
# What to do while waiting for another instance's turn (the webhook lends its processing slot).
Waiting = Callable[[], AbstractAsyncContextManager[None]]


class UpdateGate(ABC):
    """Per-chat turns and the record of processed updates (shared by all instances for Redis)."""

    @abstractmethod
    def turn(self, chat_id: int, waiting: Waiting | None = None) -> AbstractAsyncContextManager[None]:
        """Hold the chat while one of its updates is checked, processed and marked done; ``waiting``
        is entered for the time spent waiting for another holder."""

    @abstractmethod
    async def seen(self, chat_id: int, update_id: int) -> bool:
        """True when ``update_id`` was already processed."""

    @abstractmethod
    async def done(self, chat_id: int, update_id: int) -> None:
        """Record ``update_id`` as processed."""

    async def healthy(self) -> bool:
        """Whether the shared state is reachable (for /healthz)."""
        return True


class LocalUpdateGate(UpdateGate):
    """One process: its update processor already runs each chat's updates in order, so a turn needs no
    lock. Remembers the most recent ``capacity`` update ids (a bounded set: nothing kept per chat)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._done: OrderedDict[int, None] = OrderedDict()

    @contextlib.asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        yield

    def turn(self, chat_id: int, waiting: Waiting | None = None) -> AbstractAsyncContextManager[None]:
        """No lock: :class:`~bot.adapters.telegram.ordering.PerChatUpdateProcessor` orders the chat."""
        return self._turn()

    async def seen(self, chat_id: int, update_id: int) -> bool:
        """True for an update id among the recent processed ones."""
        return update_id in self._done

    async def done(self, chat_id: int, update_id: int) -> None:
        """Remember ``update_id``; forget the oldest beyond ``capacity``."""
        self._done[update_id] = None
        while len(self._done) > self.capacity:
            self._done.popitem(last=False)
