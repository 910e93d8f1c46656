"""The pacer on its own (pacer.py): first come first served, answers first, one timer, the rate's shape."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.adapters.telegram.pacer import Pacer, Priority


async def take(
    pacer: Pacer, tag: object, order: list[object], priority: Priority = Priority.ANSWER, retry: bool = False
) -> None:
    await pacer.acquire(priority, retry)
    order.append(tag)


async def test_waiters_go_in_arrival_order_and_newcomers_never_overtake() -> None:
    pacer = Pacer(rate=100, burst=1)
    order: list[object] = []
    assert pacer.try_acquire()  # the only free turn
    waiters = [asyncio.create_task(take(pacer, i, order)) for i in range(20)]
    await asyncio.sleep(0)
    assert pacer.waiting >= 18  # (on a slow machine a turn or two may have fallen free meanwhile)
    assert not pacer.try_acquire()  # a turn falls free later: still not for a newcomer while others wait
    await asyncio.sleep(0.02)
    late = asyncio.create_task(take(pacer, "late", order))
    await asyncio.gather(*waiters, late)
    assert order == [*range(20), "late"]


async def test_background_waits_for_every_answer() -> None:
    pacer = Pacer(rate=500, burst=1)
    order: list[object] = []
    assert pacer.try_acquire()
    tasks = [asyncio.create_task(take(pacer, f"b{i}", order, Priority.BACKGROUND)) for i in range(3)]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(take(pacer, f"a{i}", order)) for i in range(3)]
    await asyncio.gather(*tasks)
    assert order == ["a0", "a1", "a2", "b0", "b1", "b2"]


async def test_a_retry_keeps_its_place_ahead_of_first_sends_but_not_of_answers() -> None:
    """A request sent once already (it failed) does not queue again behind everyone who came after it."""
    pacer = Pacer(rate=500, burst=1)
    order: list[object] = []
    assert pacer.try_acquire()
    tasks = [asyncio.create_task(take(pacer, f"a{i}", order)) for i in range(3)]
    tasks.append(asyncio.create_task(take(pacer, "b-retry", order, Priority.BACKGROUND, retry=True)))
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(take(pacer, f"retry{i}", order, retry=True)) for i in range(2)]
    await asyncio.gather(*tasks)
    assert order == ["retry0", "retry1", "a0", "a1", "a2", "b-retry"]


class Waking(Pacer):
    """A pacer that records how many turns each wake-up of its timer gave."""

    __slots__ = ("given",)

    def __init__(self, rate: float, burst: int = 1, group: int = 1) -> None:
        super().__init__(rate, burst, group)
        self.given: list[int] = []

    def _release(self) -> None:
        before = self.waiting
        super()._release()
        self.given.append(before - self.waiting)


async def test_a_late_timer_catches_up_on_the_turns_it_missed() -> None:
    """A busy event loop delays the pacer's timer; within the burst allowance the missed turns are given at
    once when it fires, not lost (the rate holds on a loaded machine)."""
    pacer = Waking(rate=10, burst=3)  # a turn every 0.1 s, up to 0.2 s ahead of time
    assert all(pacer.try_acquire() for _ in range(3))  # the burst
    order: list[object] = []
    tasks = [asyncio.create_task(take(pacer, i, order)) for i in range(4)]
    await asyncio.sleep(0)  # all four wait; the timer is armed for the next turn
    time.sleep(0.25)  # the loop is busy past that turn and the one after it
    await asyncio.gather(*tasks)
    assert pacer.given[0] >= 2 and order == [0, 1, 2, 3]  # without catching up: 1


async def test_a_cancelled_waiter_gives_up_its_place() -> None:
    pacer = Pacer(rate=200, burst=1)
    order: list[object] = []
    assert pacer.try_acquire()
    tasks = [asyncio.create_task(take(pacer, i, order)) for i in range(3)]
    await asyncio.sleep(0)
    tasks[1].cancel()
    await asyncio.gather(tasks[0], tasks[2])
    assert order == [0, 2] and pacer.waiting == 0


async def test_one_timer_for_the_queue_however_many_wait() -> None:
    """Waiting costs no CPU: the pacer arms one timer per turn given, never one per waiter or a poll."""
    loop = asyncio.get_running_loop()
    armed = 0
    call_at = loop.call_at

    def counting(when, callback, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal armed
        if getattr(callback, "__self__", None) is pacer:
            armed += 1
        return call_at(when, callback, *args, **kwargs)

    pacer = Pacer(rate=1000, burst=1)
    loop.call_at = counting  # type: ignore[method-assign]
    try:
        order: list[object] = []
        await asyncio.gather(*(take(pacer, i, order) for i in range(50)))
    finally:
        del loop.call_at
    assert order == list(range(50))
    assert armed <= 50  # one per turn given to a waiter (49 waited), not one per waiter per turn


@pytest.mark.parametrize("group", [1, 3])
async def test_within_keeps_any_window_under_the_limit(group: int) -> None:
    pacer = Pacer.within(20, 0.5, 3, group)  # at most 20 in any half second, turns in groups or not
    times: list[float] = []
    loop = asyncio.get_running_loop()

    async def one() -> None:
        await pacer.acquire()
        times.append(loop.time())

    await asyncio.gather(*(one() for _ in range(30)))
    times.sort()
    assert max(sum(1 for t in times if s <= t < s + 0.5) for s in times) <= 20


async def test_a_saturated_pacer_hands_out_turns_in_groups() -> None:
    """With ``group`` 3 the timer wakes once per three turns while three or more wait, in arrival order."""
    wakes = {}
    for group in (1, 3):
        pacer = Waking(rate=200, burst=3, group=group)
        assert all(pacer.try_acquire() for _ in range(3))  # the burst
        order: list[object] = []
        await asyncio.gather(*(take(pacer, i, order) for i in range(30)))
        assert order == list(range(30))
        wakes[group] = len(pacer.given)
    assert wakes[3] <= 11 and wakes[3] < wakes[1]  # (a late timer gives more per wake-up, never fewer)


async def test_a_lone_waiter_is_not_held_back_for_a_group() -> None:
    pacer = Pacer(rate=10, burst=3, group=3)  # a turn every 0.1 s
    assert all(pacer.try_acquire() for _ in range(3))
    loop = asyncio.get_running_loop()
    waiter = asyncio.create_task(pacer.acquire())
    await asyncio.sleep(0)
    assert (
        pacer._timer is not None and pacer._timer.when() <= loop.time() + 0.1
    )  # the next turn, not the third
    await waiter
