"""A rate limiter whose waiting costs nothing: first come, first served, answers before background sends.

:class:`Pacer` lets requests go at most ``burst`` at once and then one every ``1 / rate`` seconds (a
token bucket, kept as one number: the generic cell rate algorithm's "theoretical arrival time"). A request
that may not go yet waits in a queue for its :class:`Priority`; **one timer** for the whole pacer wakes
the head of the queue when its turn comes and hands the turn over directly, so

* waiting costs no CPU: no polling, no timer per waiter, and a woken waiter never finds its turn taken;
* a saturated pacer can hand out turns in groups (``group``): one wake-up of the bot per group of sends
  instead of one per send (with groups of 2, about 10% less CPU per update under the limit in
  ``bench.ab_bench``);
* it is first come, first served: a newcomer never overtakes a waiter (no barging), whichever chat it is;
* answers go first: a :attr:`Priority.BACKGROUND` request (a reminder, an admin notice) only takes a turn
  when no :attr:`Priority.ANSWER` request is waiting;
* a retry keeps its place: a request sent once already (it failed, or Telegram asked it to wait) and now
  sent again waits ahead of the requests of its priority that have not been sent yet
  (``acquire(priority, retry=True)``), so under saturation one failure does not cost a second full wait
  at the back of the queue.

A timer that fires late (a busy event loop) does not lose the turns it missed as long as the lateness fits
within the burst allowance: the request that missed its turn goes at once and the next one keeps the
schedule, so the rate holds on a loaded machine (with no burst allowance, every millisecond of lateness
is capacity lost for good: 19-22 instead of 26 messages/s in the fault run at load average 3).

The bot benchmark (``make bench``) explains why this replaced aiolimiter here: with 200 users waiting
under a 27 messages/s cap, a woken waiter raced newcomers for the freed capacity and, on losing, queued
again at the back: more CPU per update and a p99 latency twice the median.
"""

from __future__ import annotations

import asyncio
import enum
from collections import deque

_EARLY = 0.001  # seconds: a timer may fire this much before its time (clock resolution)


class Priority(enum.Enum):
    """Whose request it is. Pass one as ``rate_limit_args`` to any Bot API method, e.g.
    ``await bot.send_message(chat_id, text, rate_limit_args=Priority.BACKGROUND)``."""

    ANSWER = 0  # the answer to a user's own update (the default)
    BACKGROUND = 1  # reminders, admin notices, broadcasts: sent when no answer is waiting


class Pacer:
    """At most ``burst`` requests at once, then ``rate`` a second; FIFO per priority, one timer.

    ``group`` (at most ``burst``): while that many requests wait, the timer waits until that many turns
    are free and gives them all at once, so a saturated pacer wakes once per ``group`` turns instead of
    once per turn. The rate and the burst are unchanged; the first of a group waits up to ``group - 1``
    turns longer. What is left of the burst allowance (``burst - group`` turns) still covers a late timer.
    """

    __slots__ = ("_group", "_interval", "_queues", "_tat", "_tau", "_timer")

    def __init__(self, rate: float, burst: int = 1, group: int = 1) -> None:
        self._interval = 1.0 / rate
        self._group = max(1, min(group, burst))  # turns handed out per wake-up while that many wait
        self._tau = (max(1, burst) - 1) * self._interval  # how far ahead of time a request may go
        self._tat = 0.0  # when the bucket is full again: a request may go at ``_tat - _tau`` or later
        # Two queues per priority, served in this order: its retries, then its first sends.
        self._queues: tuple[deque[asyncio.Future[None]], ...] = tuple(
            deque() for _ in range(2 * len(Priority))
        )
        self._timer: asyncio.TimerHandle | None = None

    @classmethod
    def within(cls, limit: float, period: float, burst: int, group: int = 1) -> Pacer:
        """A pacer allowing at most ``limit`` requests in any window of ``period`` seconds: up to
        ``burst`` at once, the rest spread evenly (``group``: see the class)."""
        burst = max(1, min(burst, int(limit)))
        return cls(max(limit - burst, 0.001) / period, burst, group)

    def _waiting(self) -> bool:
        for queue in self._queues:
            while queue and queue[0].done():  # cancelled while waiting
                queue.popleft()
            if queue:
                return True
        return False

    def try_acquire(self) -> bool:
        """Take a turn now if one is free and nobody is waiting (no awaiting, no timer)."""
        now = asyncio.get_running_loop().time()
        if now + _EARLY < self._tat - self._tau or self._waiting():
            return False
        self._tat = max(self._tat, now) + self._interval
        return True

    async def acquire(self, priority: Priority = Priority.ANSWER, retry: bool = False) -> None:
        """Wait for this request's turn: after every request that came before it with the same or a
        higher priority. ``retry``: the request was sent before (it failed, or had to wait out a 429), so
        it goes ahead of its priority's first sends, after the retries already waiting."""
        if self.try_acquire():
            return
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[None] = loop.create_future()
        self._queues[2 * priority.value + (0 if retry else 1)].append(turn)
        if self._timer is None:
            self._timer = loop.call_at(self._next_wake(), self._release)
        await turn  # if cancelled after its turn was given, that turn is simply not used

    def _release(self) -> None:
        """The timer: give turns to the heads of the queues while turns are free, then re-arm."""
        self._timer = None
        loop = asyncio.get_running_loop()
        now = loop.time()
        while self._waiting() and now + _EARLY >= self._tat - self._tau:
            queue = next(q for q in self._queues if q)
            queue.popleft().set_result(None)
            self._tat = max(self._tat, now) + self._interval
        if self._waiting():
            self._timer = loop.call_at(self._next_wake(), self._release)

    def _next_wake(self) -> float:
        """When the timer fires next: once as many turns are free as requests wait, up to ``group``
        (a cancelled waiter still counted only makes the timer fire a turn later)."""
        extra = min(self._group, sum(map(len, self._queues))) - 1
        return self._tat - self._tau + max(0, extra) * self._interval

    def idle(self) -> bool:
        """True when nobody waits and the bucket is full: the pacer can be dropped and made anew."""
        return not self._waiting() and asyncio.get_running_loop().time() >= self._tat

    @property
    def rate(self) -> float:
        """Turns a second once the burst is spent."""
        return 1.0 / self._interval

    @property
    def waiting(self) -> int:
        """Requests waiting for their turn (for tests and monitoring)."""
        return sum(1 for queue in self._queues for turn in queue if not turn.done())
