"""One contract for every session store, run against each implementation; then SQLite specifics."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.session import Session
from bot.store import ChatRecord, MemorySessionStore, SessionStore, SqliteSessionStore
from bot.store import sqlite as sqlite_store
from bot.store.redis import RedisSessionStore

STORES: dict[str, Callable[[Path, pytest.FixtureRequest], SessionStore]] = {
    "memory": lambda tmp, rq: MemorySessionStore(),
    "sqlite": lambda tmp, rq: SqliteSessionStore(tmp / "db" / "sessions.sqlite3"),
    # A real redis-server (tests/conftest.py); a fresh key prefix per test keeps tests apart.
    "redis": lambda tmp, rq: RedisSessionStore(rq.getfixturevalue("redis_url"), f"t{uuid.uuid4().hex}:"),
}


@pytest.fixture(params=sorted(STORES))
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SessionStore]:
    s = STORES[request.param](tmp_path, request)
    await s.open()
    yield s
    await s.close()


SESSION = Session("channel", {"identity": "resident", "province": "430000", "city": "430100"}, 7)


async def test_unknown_chat_is_fresh(store: SessionStore) -> None:
    assert await store.load(42) == ChatRecord()


async def test_save_and_load_round_trip(store: SessionStore) -> None:
    saved = await store.save(42, ChatRecord(SESSION, 1001, 0))
    assert saved == ChatRecord(SESSION, 1001, 1)
    loaded = await store.load(42)
    assert loaded == saved and dict(loaded.session.slots) == dict(SESSION.slots)
    assert await store.load(43) == ChatRecord()


async def test_save_with_stale_revision_conflicts(store: SessionStore) -> None:
    first = await store.save(1, ChatRecord(SESSION, None, 0))
    assert first is not None
    assert await store.save(1, ChatRecord(Session(), None, 0)) is None  # someone else created it
    second = await store.save(1, replace(first, message_id=5))
    assert second is not None and second.rev == 2
    assert await store.save(1, replace(first, message_id=6)) is None  # first.rev is outdated
    assert (await store.load(1)).message_id == 5


async def test_concurrent_writers_exactly_one_wins(store: SessionStore) -> None:
    base = await store.save(9, ChatRecord(Session(), None, 0))
    assert base is not None
    attempts = [store.save(9, replace(base, message_id=i)) for i in range(10)]
    results = await asyncio.gather(*attempts)
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and (await store.load(9)) == winners[0]


async def test_message_id_can_be_cleared(store: SessionStore) -> None:
    saved = await store.save(3, ChatRecord(SESSION, 77, 0))
    cleared = await store.save(3, replace(saved, message_id=None))
    assert cleared is not None and (await store.load(3)).message_id is None


async def test_many_chats(store: SessionStore) -> None:
    for chat in range(200):
        await store.save(chat, ChatRecord(Session("province", {"identity": "flexible"}, chat), chat, 0))
    assert (await store.load(150)).session.version == 150


# ----- SQLite specifics ---------------------------------------------------------------------------
async def test_sqlite_uses_wal_and_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    async with SqliteSessionStore(path) as s:
        assert await s.journal_mode() == "wal"
        await s.save(5, ChatRecord(SESSION, 12, 0))
    async with SqliteSessionStore(path) as again:
        assert await again.load(5) == ChatRecord(SESSION, 12, 1)


async def test_sqlite_corrupt_session_row_yields_fresh_session(tmp_path: Path) -> None:
    async with SqliteSessionStore(tmp_path / "s.sqlite3") as s:
        await s.save(5, ChatRecord(SESSION, 12, 0))
        await s.db.execute("UPDATE chats SET session = '{not json' WHERE chat_id = 5")
        record = await s.load(5)
        assert record.session == Session() and record.message_id == 12 and record.rev == 1


async def test_two_sqlite_connections_share_the_file_with_compare_and_set(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    async with SqliteSessionStore(path) as a, SqliteSessionStore(path) as b:
        base = await a.save(1, ChatRecord(Session(), None, 0))
        assert await b.save(1, replace(base, message_id=2)) is not None
        assert await a.save(1, replace(base, message_id=3)) is None


async def test_closed_sqlite_store_refuses_clearly(tmp_path: Path) -> None:
    s = SqliteSessionStore(tmp_path / "s.sqlite3")
    with pytest.raises(RuntimeError, match="not open"):
        await s.load(1)


async def test_sqlite_busy_database_is_waited_for_off_the_event_loop(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    async with SqliteSessionStore(path) as s:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        pending = asyncio.create_task(s.save(1, ChatRecord(SESSION, 1, 0)))
        await asyncio.sleep(0.05)
        assert not pending.done()  # waiting (on aiosqlite's thread; the loop ran this test meanwhile)
        other.execute("COMMIT")
        other.close()
        assert await pending == ChatRecord(SESSION, 1, 1)


async def test_sqlite_checkpoints_the_wal_into_the_database_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_EVERY", 300)
    path = tmp_path / "s.sqlite3"
    async with SqliteSessionStore(path) as s:
        for chat in range(299):
            await s.save(chat, ChatRecord(SESSION, chat, 0))
        before = path.stat().st_size  # the rows are in the WAL only
        await s.save(299, ChatRecord(SESSION, 299, 0))
        assert s._checkpoint is not None
        await s._checkpoint
        assert path.stat().st_size > before + 4096
