"""One contract for every reminder store (memory, SQLite, a real Redis): keep, list, cancel, forget, and
the exactly-once claim, including two store objects (two instances) claiming the same backend at once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.store import MemorySessionStore, SessionStore, SqliteSessionStore
from bot.store.factory import make_reminders
from bot.store.redis import RedisSessionStore
from bot.store.reminders import Reminder, ReminderStore

# Each factory makes a session store over a backend named by ``where`` (a file, a key prefix), so two
# calls with the same ``where`` are two instances sharing one backend.
STORES: dict[str, Callable[[Path, pytest.FixtureRequest, str], SessionStore]] = {
    "memory": lambda tmp, rq, where: MemorySessionStore(),
    "sqlite": lambda tmp, rq, where: SqliteSessionStore(tmp / "db" / f"{where}.sqlite3"),
    "redis": lambda tmp, rq, where: RedisSessionStore(rq.getfixturevalue("redis_url"), f"t{where}:"),
}
SLOTS = {"identity": "resident", "province": "430000", "city": "430100", "channel": "wechat"}
T0 = 1_790_000_000.0


def reminder(chat: int, due: float = T0, key: str = "res", day: int = 0) -> Reminder:
    return Reminder(chat, key, due, due + 86_400, SLOTS, day, 2027, False)


@pytest.fixture(params=sorted(STORES))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def opened(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Callable[[], object]]:
    """A function opening another instance on the test's backend (all closed at the end)."""
    where = uuid.uuid4().hex
    opened: list[SessionStore] = []

    async def open_one() -> ReminderStore:
        store = STORES[kind](tmp_path, request, where)
        await store.open()
        opened.append(store)
        reminders = make_reminders(store)
        await reminders.open()
        return reminders

    yield open_one
    for s in opened:
        await s.close()


@pytest.fixture
async def rem(opened) -> ReminderStore:
    return await opened()


async def test_put_list_replace_cancel(rem: ReminderStore) -> None:
    assert await rem.of_chat(1) == []
    await rem.put(reminder(1, T0 + 50))
    await rem.put(reminder(1, T0 + 10, key="flex", day=10))
    await rem.put(reminder(2))
    listed = await rem.of_chat(1)
    assert [r.key for r in listed] == ["flex", "res"] and listed[1] == reminder(1, T0 + 50)
    await rem.put(reminder(1, T0 + 5))  # setting it again replaces it
    assert [r.due for r in await rem.of_chat(1)] == [T0 + 5, T0 + 10]
    assert await rem.cancel(1, "res") and not await rem.cancel(1, "res")
    assert await rem.count() == 2
    assert await rem.forget(1) == 1 and await rem.of_chat(1) == [] and await rem.count() == 1


async def test_claim_takes_due_ones_once_soonest_first(rem: ReminderStore) -> None:
    for chat in range(10):
        await rem.put(reminder(chat, T0 + chat))
    await rem.put(reminder(99, T0 + 1000))  # not due yet
    first = await rem.claim_due(T0 + 100, 4, "a")
    assert [c.reminder.chat_id for c in first] == [0, 1, 2, 3]
    rest = await rem.claim_due(T0 + 100, 100, "b")
    assert [c.reminder.chat_id for c in rest] == [4, 5, 6, 7, 8, 9]
    assert await rem.claim_due(T0 + 100, 100, "c") == []
    # A claim is a lease: unfinished (its sender died), the reminder is claimed again once it runs out.
    again = await rem.claim_due(T0 + 100 + 601, 100, "d")
    assert sorted(c.reminder.chat_id for c in again) == list(range(10))


async def test_finish_deletes_or_reschedules_only_with_the_claim(rem: ReminderStore) -> None:
    await rem.put(reminder(1))
    await rem.put(reminder(2, key="flex", day=10))
    await rem.put(reminder(3))
    c1, c2, c3 = await rem.claim_due(T0, 10, "tok")
    assert await rem.finish(c1, None) and await rem.of_chat(1) == []
    nxt = reminder(2, T0 + 30 * 86_400, key="flex", day=10)
    assert await rem.finish(c2, nxt) and await rem.of_chat(2) == [nxt]
    assert await rem.claim_due(T0 + 500, 10, "x") == []  # the next date is not due, 3 is leased
    await rem.put(reminder(3, T0 + 5000))  # the user changed it while it was being sent
    assert not await rem.finish(c3, None)  # the new one is kept
    assert [r.due for r in await rem.of_chat(3)] == [T0 + 5000]
    assert not await rem.finish(c1, None)  # finishing twice does nothing


async def test_two_instances_claim_every_reminder_exactly_once(opened, kind: str) -> None:
    if kind == "memory":
        pytest.skip("a memory store cannot be shared between instances")
    a, b = await opened(), await opened()
    n = 1000
    for chat in range(n):
        await (a if chat % 2 else b).put(reminder(chat, T0 + chat % 60))
    got: dict[str, list[int]] = {"a": [], "b": []}

    async def drain(name: str, store: ReminderStore) -> None:
        while claimed := await store.claim_due(T0 + 60, 25, name):
            got[name] += [c.reminder.chat_id for c in claimed]
            await asyncio.gather(*(store.finish(c, None) for c in claimed))

    await asyncio.gather(drain("a", a), drain("b", b), drain("a", a), drain("b", b))
    both = got["a"] + got["b"]
    assert sorted(both) == list(range(n)), "every reminder claimed exactly once"
    assert got["a"] and got["b"], "both instances took part"
    assert await a.count() == 0
