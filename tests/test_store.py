"""One contract for every session store, run against each implementation; then SQLite specifics."""

from __future__ import annotations

import asyncio
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.errors import StoreUnavailableError
from bot.session import Session
from bot.store import ChatRecord, MemorySessionStore, SessionStore, SqliteSessionStore
from bot.store import sqlite as sqlite_store
from bot.store.redis import RedisSessionStore
from tests.helpers.disk import fill_to_the_brim, make_room

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


async def test_active_flag_round_trips_and_set_active_changes_only_it(store: SessionStore) -> None:
    saved = await store.save(8, ChatRecord(SESSION, 3, 0))
    assert saved is not None and saved.active
    await store.set_active(8, False)
    off = await store.load(8)
    assert not off.active and off.session == SESSION and off.message_id == 3 and off.rev > saved.rev
    assert await store.save(8, saved) is None  # marking is a change: an older revision conflicts
    back = await store.save(8, replace(off, active=True))
    assert back is not None and (await store.load(8)).active
    await store.set_active(404, True)  # an unknown chat is active already: nothing to keep
    assert await store.load(404) == ChatRecord()
    await store.set_active(404, False)  # refused before anything was saved: the fact is kept
    gone = await store.load(404)
    assert not gone.active and gone.session == Session() and gone.rev == 1
    assert await store.save(404, replace(gone, active=True)) is not None


async def test_forget_deletes_the_chat_only(store: SessionStore) -> None:
    await store.save(1, ChatRecord(SESSION, 10, 0))
    await store.save(2, ChatRecord(SESSION, 20, 0))
    assert await store.forget(1) is True
    assert await store.load(1) == ChatRecord() and (await store.load(2)).message_id == 20
    assert await store.forget(1) is False
    assert await store.save(1, ChatRecord(Session(), None, 0)) is not None  # a forgotten chat starts afresh


async def test_purge_deletes_records_untouched_since_the_cutoff(store: SessionStore) -> None:
    await store.save(1, ChatRecord(SESSION, None, 0))
    await asyncio.sleep(0.02)
    cutoff = time.time()
    await asyncio.sleep(0.02)
    await store.save(2, ChatRecord(SESSION, None, 0))
    assert await store.purge(cutoff) == 1
    assert await store.load(1) == ChatRecord() and (await store.load(2)).rev == 1
    assert await store.purge(time.time() + 1) == 1 and await store.purge(time.time() + 1) == 0


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


async def test_sqlite_adds_the_active_column_to_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:  # the schema before issue 7
        old.execute(
            "CREATE TABLE chats (chat_id INTEGER PRIMARY KEY, session TEXT NOT NULL, message_id INTEGER, "
            "rev INTEGER NOT NULL, updated_at REAL NOT NULL)"
        )
        old.execute("INSERT INTO chats VALUES (5, ?, 12, 3, 0)", (SESSION.to_json(),))
    old.close()
    async with SqliteSessionStore(path) as s:
        assert await s.load(5) == ChatRecord(SESSION, 12, 3, True)


async def test_sqlite_locked_database_raises_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    async with SqliteSessionStore(path, busy_timeout=0.05) as s:
        await s.save(1, ChatRecord(SESSION, None, 0))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
        try:
            assert (await s.load(1)).rev == 1  # WAL: readers are not blocked
            with pytest.raises(StoreUnavailableError, match="locked"):
                await s.save(1, await s.load(1))
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert await s.save(1, await s.load(1)) is not None


async def test_sqlite_full_database_raises_store_unavailable(tmp_path: Path) -> None:
    async with SqliteSessionStore(tmp_path / "s.sqlite3") as s:
        await fill_to_the_brim(s)
        with pytest.raises(StoreUnavailableError, match="full"):
            await s.save(10**12, ChatRecord(SESSION, None, 0))
        await make_room(s)
        assert await s.save(10**12, ChatRecord(SESSION, None, 0)) is not None
