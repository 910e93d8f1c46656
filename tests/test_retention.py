"""The retention policy over any store: what is purged, when, and that a failing store does not stop it."""

from __future__ import annotations

import asyncio
import time

from bot.errors import StoreUnavailableError
from bot.retention import DAY, Retention
from bot.session import Session
from bot.store import ChatRecord, MemorySessionStore


async def test_purge_once_deletes_only_sessions_past_the_retention_period() -> None:
    store = MemorySessionStore()
    await store.save(1, ChatRecord(Session(), None, 0))
    retention = Retention(store, days=30)
    assert await retention.purge_once() == 0  # saved just now
    assert await retention.purge_once(now=time.time() + 29 * DAY) == 0
    assert await retention.purge_once(now=time.time() + 31 * DAY) == 1
    assert await store.load(1) == ChatRecord()


class FlakyStore(MemorySessionStore):
    """A store whose purge fails the first time, like a locked database."""

    def __init__(self) -> None:
        super().__init__()
        self.purges = 0

    async def purge(self, cutoff: float) -> int:
        self.purges += 1
        if self.purges == 1:
            raise StoreUnavailableError("database is locked")
        return await super().purge(cutoff)


async def test_background_purge_runs_repeatedly_and_survives_a_failing_store(caplog) -> None:
    store = FlakyStore()
    retention = Retention(store, days=1, interval=0.01)
    retention.start()
    retention.start()  # idempotent
    for _ in range(200):
        if store.purges >= 3:
            break
        await asyncio.sleep(0.01)
    await retention.stop()
    assert store.purges >= 3 and "purge failed: database is locked" in caplog.text
    await retention.stop()  # idempotent
