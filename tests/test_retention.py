"""The retention policy over any store: what is purged, when, and that a failing store does not stop it."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

from bot.clock import CHINA
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


async def test_feedback_ages_by_the_bots_clock_and_sessions_by_the_real_time() -> None:
    """Day counts are stamped by the one clock (BOT_TODAY may put it years away from the real date), so
    they are purged by it; sessions are stamped by the store with the real time and purged by that."""
    store = MemorySessionStore()
    await store.save(1, ChatRecord(Session(), None, 0))
    await store.add_counts({("2030-01-01", "430000", "start"): 1, ("2030-03-01", "430000", "start"): 1})
    clock = dt.datetime(2030, 3, 15, 12, tzinfo=CHINA).timestamp()
    retention = Retention(store, days=30, clock=lambda: clock)
    assert await retention.purge_once() == 0  # the session was saved just now (real time)
    assert await store.counts() == {("2030-03-01", "430000", "start"): 1}  # January is past 30 days
    assert await store.load(1) != ChatRecord()
