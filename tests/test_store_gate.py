"""The webhook gate: processed updates recognised, one turn per chat across instances (real Redis)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from bot.store.gate import SEEN_TTL, LocalUpdateGate, UpdateGate
from bot.store.redis import SEEN_PER_CHAT, RedisSessionStore, RedisUpdateGate


@pytest.fixture
async def stores(redis_url: str) -> AsyncIterator[list[RedisSessionStore]]:
    prefix = f"g{uuid.uuid4().hex}:"
    async with RedisSessionStore(redis_url, prefix) as a, RedisSessionStore(redis_url, prefix) as b:
        yield [a, b]


@pytest.fixture(params=["local", "redis"])
async def gate(request: pytest.FixtureRequest) -> AsyncIterator[UpdateGate]:
    if request.param == "local":
        yield LocalUpdateGate()
        return
    async with RedisSessionStore(request.getfixturevalue("redis_url"), f"g{uuid.uuid4().hex}:") as store:
        yield RedisUpdateGate(store)


async def test_processed_update_is_seen_others_are_not(gate: UpdateGate) -> None:
    assert not await gate.seen(7, 100)
    async with gate.turn(7):
        await gate.done(7, 100)
    assert await gate.seen(7, 100)
    assert not await gate.seen(7, 101) and not await gate.seen(8, 102)
    assert await gate.healthy()


async def test_local_gate_remembers_a_bounded_number_of_updates() -> None:
    gate = LocalUpdateGate(capacity=3)
    for uid in range(1, 6):
        await gate.done(1, uid)
    assert [await gate.seen(1, u) for u in range(1, 6)] == [False, False, True, True, True]


async def test_redis_remembers_the_latest_updates_of_each_chat_for_a_day(stores) -> None:
    gate = RedisUpdateGate(stores[0])
    await gate.done(3, 50)
    await gate.done(3, 40)  # updates that arrived out of order are each recognised, not a watermark
    assert await gate.seen(3, 40) and await gate.seen(3, 50) and not await gate.seen(3, 45)
    for uid in range(100, 100 + SEEN_PER_CHAT):
        await gate.done(3, uid)
    assert not await gate.seen(3, 50) and await gate.seen(3, 100)  # bounded per chat
    assert await stores[0].client.zcard(stores[0].key("seen", 3)) == SEEN_PER_CHAT
    assert 0 < await stores[0].client.ttl(stores[0].key("seen", 3)) <= SEEN_TTL


async def test_redis_turn_is_exclusive_across_instances_per_chat(stores) -> None:
    gates = [RedisUpdateGate(s) for s in stores]
    inside: list[str] = []
    overlaps: list[tuple[str, ...]] = []

    async def work(gate: RedisUpdateGate, chat: int, name: str) -> None:
        async with gate.turn(chat):
            inside.append(name)
            overlaps.append(tuple(n for n in inside if n.split("-")[0] == name.split("-")[0]))
            await asyncio.sleep(0.01)
            inside.remove(name)

    jobs = [work(gates[i % 2], chat, f"{chat}-{i}") for i in range(6) for chat in (1, 2)]
    await asyncio.gather(*jobs)
    assert len(overlaps) == 12 and all(len(o) == 1 for o in overlaps)  # never two updates of one chat at once


async def test_redis_turn_is_released_when_processing_fails(stores) -> None:
    gate = RedisUpdateGate(stores[0], lock_timeout=5)
    with pytest.raises(ValueError):
        async with gate.turn(9):
            raise ValueError("handler failed")
    assert not await stores[1].client.exists(stores[1].key("lock", 9))
    async with RedisUpdateGate(stores[1]).turn(9):
        pass


async def test_redis_gate_unhealthy_when_store_closed(redis_url: str) -> None:
    store = RedisSessionStore(redis_url)
    gate = RedisUpdateGate(store)
    assert not await gate.healthy()
    async with store:
        assert await gate.healthy()
