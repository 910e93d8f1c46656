"""Outgoing Bot API requests: stay under Telegram's flood limits, honour 429, retry transient failures.

python-telegram-bot passes every request except ``getUpdates`` (its updater retries long polling by
itself) through :meth:`DeliveryPolicy.process_request`. The policy, decided for this bot:

* **Overall**: requests that carry a ``chat_id`` (messages, edits) are limited to 90% of ``rate`` in any
  one-second window (the rest is margin for network jitter; Telegram allows about 30 messages/s).
  ``rate=0`` turns proactive throttling off (a local Bot API server, benchmarks); 429 is still honoured.
* **Per chat**: new messages are limited to 1/s with a burst of 3 in a private chat (a long page is sent
  in up to 3 parts at once) and 20/min in a group. Edits and callback answers are *not* throttled per
  chat: the bot makes one per button press, in answer to the user's own tap, which Telegram allows in
  practice; they still count towards the overall limit (callback answers do not: they must be quick).
* **429 Too Many Requests**: the chat concerned waits ``retry_after`` (+0.1 s) before its next request
  and the request is retried; other chats go on (the overall bucket keeps the bot under the global
  limit, so a 429 is about one chat). A ``retry_after`` above ``max_retry_after`` is not waited for:
  the request fails at once (logged), and the chat's next update tries again.
* **5xx, timeouts, dropped connections** (``NetworkError`` other than ``BadRequest``): retried with
  exponential back-off and jitter. A sendMessage that timed out after reaching Telegram may thus show a
  step twice, which is better than not answering.
* **Other errors** (400, 403, ...) are never retried: retrying cannot help and would only add load.

**Priority**: answers to users go first. A request made with ``rate_limit_args=Priority.BACKGROUND``
(reminders, admin notices: ``await bot.send_message(chat, text, **background(bot))``)
waits while any answer waits, for the overall limit and for its chat's; otherwise every queue is first
come, first served (pacer.py: one timer per queue, no polling, no overtaking), except that a retry waits
ahead of its priority's first sends: it came first, and under saturation a failure would otherwise cost
a second full wait at the back of the queue.

The overall limit allows a burst of 3 and then 24 a second, so no one-second window holds more than 27
(90% of 30): the burst allowance is what lets a timer that fires late (a busy event loop) catch up on the
turn it missed instead of losing it.

Retries are bounded by ``attempts`` and by time: ``budget`` seconds for messages and edits, and
``answer_budget`` (with back-off capped at 1 s) for callback answers, which Telegram only accepts for a
short while after the tap. The last error goes to the caller. Every wait (pause, bucket, back-off)
lends the update's processing slot to other chats (``ordering.slot_released``); a first send waiting for
the overall limit only while less than a second of such sends waits so (``lent_for_shared``):
under saturation the updates behind stay unprocessed instead of all waiting with a built answer.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter, ExtBot
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential,
    wait_random,
)

from bot.adapters.telegram.ordering import slot_released
from bot.adapters.telegram.pacer import Pacer, Priority

# python-telegram-bot 22 warns (PTBDeprecationWarning) every time it builds a RetryAfter error unless the
# bot opts in to timedelta durations, which are what this policy reads. PTB reads the variable when it
# builds the error, so setting it here (imported by every Application this project builds) is early enough.
os.environ.setdefault("PTB_TIMEDELTA", "true")

log = logging.getLogger(__name__)

Callback = Callable[..., Coroutine[Any, Any, Any]]
RETRY_AFTER_SLACK = 0.1  # seconds added to Telegram's retry_after (sends, edits and getUpdates)
_PRUNE_AT = 1024  # per-chat state kept before idle entries are dropped
OVERALL_GROUP = 2  # turns of the overall limit handed out per wake-up under saturation (pacer.py)


__all__ = [
    "OVERALL_GROUP",
    "RETRY_AFTER_SLACK",
    "DeliveryPolicy",
    "Priority",
    "background",
    "retry_after_seconds",
]


def background(bot: Bot) -> dict[str, Any]:
    """Keyword arguments for a Bot API method that send the request behind every waiting answer to a
    user (reminders, admin notices): ``await bot.send_message(chat, text, **background(bot))``. A plain
    ``Bot`` (no delivery policy, as in some tests) takes none."""
    return {"rate_limit_args": Priority.BACKGROUND} if isinstance(bot, ExtBot) else {}


def _is_message(endpoint: str) -> bool:
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint in (
        "copyMessage",
        "forwardMessage",
    )


async def _sleep(seconds: float) -> None:
    """Sleep without holding an update-processing slot."""
    async with slot_released():
        await asyncio.sleep(seconds)


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asks to wait (PTB 22 holds them as a timedelta)."""
    value = exc.retry_after
    return value if isinstance(value, int | float) else value.total_seconds()


class DeliveryPolicy(BaseRateLimiter[Priority]):
    """Flood control and retries for the bot's requests (see the module docstring for the rules)."""

    def __init__(
        self,
        rate: int = 30,
        attempts: int = 10,
        budget: float = 30.0,
        answer_budget: float = 10.0,
        max_retry_after: float = 60.0,
        backoff: float = 0.25,
        max_backoff: float = 4.0,
    ) -> None:
        self.rate = rate
        self.attempts = attempts
        self.budget = budget
        self.answer_budget = answer_budget
        self.max_retry_after = max_retry_after
        # At most 90% of ``rate`` in any second: a burst of 3, then evenly spaced. The burst is small
        # (sends bunched by network jitter stay under the limit) but lets a late timer catch up. Under
        # saturation turns go out OVERALL_GROUP at a time: one wake-up of the bot per group of sends.
        self._overall = Pacer.within(rate * 0.9, 1.0, 3, OVERALL_GROUP) if rate else None
        # backoff x 1, 2, 4, ... up to the cap, plus up to ``backoff`` of jitter so retries spread out
        self._backoff = wait_exponential(multiplier=backoff, max=max_backoff) + wait_random(0, backoff)
        self._answer_backoff = wait_exponential(multiplier=backoff, max=1.0) + wait_random(0, backoff)
        self._chats: dict[int | str, Pacer] = {}
        self._paused: dict[int | str, float] = {}

    @property
    def sustained_rate(self) -> float | None:
        """Messages and edits a second over all chats once the burst is spent (None: no overall cap)."""
        return None if self._overall is None else self._overall.rate

    @property
    def backlog(self) -> float:
        """Seconds of messages and edits already waiting for the overall limit (0 without one)."""
        return 0.0 if self._overall is None else self._overall.waiting / self._overall.rate

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    # ----- limits ----------------------------------------------------------------------------------
    def _chat_pacer(self, chat: int | str) -> Pacer:
        pacer = self._chats.get(chat)
        if pacer is None:
            if len(self._chats) >= _PRUNE_AT:
                for key, old in list(self._chats.items()):
                    if old.idle():
                        del self._chats[key]
            group = isinstance(chat, str) or chat < 0
            pacer = Pacer.within(20, 60.0, 3) if group else Pacer.within(4, 1.0, 3)
            self._chats[chat] = pacer
        return pacer

    def _pacers(self, endpoint: str, chat: int | str | None) -> list[Pacer]:
        """The limits this request must pass, in order: its chat's message pacer, the overall one."""
        if chat is None:
            return []
        pacers = [self._chat_pacer(chat)] if self.rate and _is_message(endpoint) else []
        return pacers if self._overall is None else [*pacers, self._overall]

    async def _send(
        self,
        endpoint: str,
        chat: int | str | None,
        priority: Priority,
        callback: Callback,
        args: Any,
        kwargs: Any,
        retry: bool = False,
    ) -> Any:
        """Send once this request may go (the chat's 429 pause, its message pacer, the overall pacer).
        A request that has to wait does so, and is sent, without holding a processing slot: it goes out
        the moment its turn comes (taking the slot back first would bunch sends up at the server).
        ``retry``: sent before, so it waits ahead of first sends (pacer.py)."""
        pacers = self._pacers(endpoint, chat)
        now = asyncio.get_running_loop().time()
        if chat is None or self._paused.get(chat, 0.0) <= now:
            for i, pacer in enumerate(pacers):
                if not pacer.try_acquire():
                    # Waiting for the overall limit alone (everyone's queue): a bounded number lend
                    # their slot (ordering.py); a chat's own limit lends it always.
                    shared = pacer is self._overall and not retry
                    async with slot_released(shared):
                        for rest in pacers[i:]:
                            await rest.acquire(priority, retry)
                        return await callback(*args, **kwargs)
            return await callback(*args, **kwargs)
        async with slot_released():
            loop = asyncio.get_running_loop()
            while (wait := self._paused.get(chat, 0.0) - loop.time()) > 0:
                await asyncio.sleep(wait)
            for pacer in pacers:
                await pacer.acquire(priority, retry)
            return await callback(*args, **kwargs)

    def _pause(self, chat: int | str | None, seconds: float) -> None:
        if chat is None:
            return
        now = asyncio.get_running_loop().time()
        if len(self._paused) >= _PRUNE_AT:
            self._paused = {k: t for k, t in self._paused.items() if t > now}
        self._paused[chat] = max(self._paused.get(chat, 0.0), now + seconds + RETRY_AFTER_SLACK)

    # ----- retries ---------------------------------------------------------------------------------
    def _retryable(self, exc: BaseException, answer: bool = False) -> bool:
        if isinstance(exc, RetryAfter):
            return retry_after_seconds(exc) <= (self.answer_budget if answer else self.max_retry_after)
        return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)

    def _wait(self, state: RetryCallState, answer: bool) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryAfter):
            return retry_after_seconds(exc) + RETRY_AFTER_SLACK
        return float((self._answer_backoff if answer else self._backoff)(state))

    @staticmethod
    def _log_retry(endpoint: str, chat: int | str | None, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        log.info(
            "%s (chat %s) failed: %s; try %d in %.2fs", endpoint, chat, exc, state.attempt_number + 1, wait
        )

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> Any:
        """Send one request under the limits, retrying as the policy says; the last error propagates.
        ``rate_limit_args`` (from the Bot API method's argument of that name) is the request's priority."""
        chat = data.get("chat_id")
        if isinstance(chat, str) and chat.lstrip("-").isdigit():
            chat = int(chat)
        answer = endpoint == "answerCallbackQuery"
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts)
            | stop_after_delay(self.answer_budget if answer else self.budget),
            wait=lambda state: self._wait(state, answer),
            retry=retry_if_exception(lambda exc: self._retryable(exc, answer)),
            before_sleep=lambda state: self._log_retry(endpoint, chat, state),
            sleep=_sleep,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                try:
                    return await self._send(
                        endpoint,
                        chat,
                        rate_limit_args or Priority.ANSWER,
                        callback,
                        args,
                        kwargs,
                        retry=attempt.retry_state.attempt_number > 1,
                    )
                except RetryAfter as exc:
                    if self._retryable(exc, answer):  # a wait too long to honour is not imposed later
                        self._pause(chat, retry_after_seconds(exc))
                    raise
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover
