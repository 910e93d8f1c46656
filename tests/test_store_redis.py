"""Redis specifics: several instances (separate clients) on one server, corrupt rows, unreachable server."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.config import Settings
from bot.session import Session
from bot.store import ChatRecord, MemorySessionStore, SqliteSessionStore
from bot.store.factory import make_gate, make_store
from bot.store.gate import LocalUpdateGate
from bot.store.redis import RedisSessionStore, RedisUpdateGate, redact_url
from bot.testing.redis_server import free_port

SESSION = Session("channel", {"identity": "resident", "province": "430000"}, 3)


@pytest.fixture
async def pair(redis_url: str) -> AsyncIterator[tuple[RedisSessionStore, RedisSessionStore]]:
    """Two stores with their own connections and the same key prefix: two bot instances."""
    prefix = f"t{uuid.uuid4().hex}:"
    async with RedisSessionStore(redis_url, prefix) as a, RedisSessionStore(redis_url, prefix) as b:
        yield a, b


async def test_two_instances_see_each_others_writes_and_conflicts(pair) -> None:
    a, b = pair
    base = await a.save(1, ChatRecord(SESSION, 10, 0))
    assert base is not None and await b.load(1) == base
    assert await b.save(1, replace(base, message_id=11)) is not None
    assert await a.save(1, replace(base, message_id=12)) is None  # a's revision is outdated
    assert (await a.load(1)).message_id == 11


async def test_racing_instances_exactly_one_write_wins(pair) -> None:
    a, b = pair
    base = await a.save(2, ChatRecord(Session(), None, 0))
    results = await asyncio.gather(
        *(s.save(2, replace(base, message_id=i)) for i, s in enumerate([a, b] * 10))
    )
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and await b.load(2) == winners[0]


async def test_corrupt_session_field_yields_fresh_session(pair) -> None:
    a, _ = pair
    await a.save(5, ChatRecord(SESSION, 12, 0))
    await a.client.hset(a.key("chat", 5), "s", "{not json")
    assert await a.load(5) == ChatRecord(Session(), 12, 1)


async def test_unreachable_server_is_reported_without_password() -> None:
    url = f"redis://:s3cret@127.0.0.1:{free_port()}/0"
    with pytest.raises(ConnectionError, match="cannot reach Redis") as info:
        await RedisSessionStore(url).open()
    assert "s3cret" not in str(info.value) and "***" in str(info.value)
    assert redact_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


async def test_closed_store_refuses_clearly(redis_url: str) -> None:
    with pytest.raises(RuntimeError, match="not open"):
        await RedisSessionStore(redis_url).load(1)


def test_factory_picks_the_store_and_its_gate(tmp_path, redis_url: str) -> None:
    sqlite = make_store(Settings(data_dir=tmp_path))
    assert isinstance(sqlite, SqliteSessionStore) and sqlite.path == tmp_path / "sessions.sqlite3"
    assert isinstance(make_store(Settings(session_store="memory")), MemorySessionStore)
    redis_store = make_store(Settings(session_store=redis_url))
    assert isinstance(redis_store, RedisSessionStore) and redis_store.url == redis_url
    assert isinstance(make_gate(redis_store), RedisUpdateGate)
    assert isinstance(make_gate(sqlite), LocalUpdateGate)
