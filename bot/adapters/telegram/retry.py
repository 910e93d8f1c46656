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

Retries are bounded by ``attempts`` and by time: ``budget`` seconds for messages and edits, and
``answer_budget`` (with back-off capped at 1 s) for callback answers, which Telegram only accepts for a
short while after the tap. The last error goes to the caller. Every wait (pause, bucket, back-off)
lends the update's processing slot to other chats (``ordering.slot_released``).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter
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

# python-telegram-bot 22 warns (PTBDeprecationWarning) every time it builds a RetryAfter error unless the
# bot opts in to timedelta durations, which are what this policy reads. PTB reads the variable when it
# builds the error, so setting it here (imported by every Application this project builds) is early enough.
os.environ.setdefault("PTB_TIMEDELTA", "true")

log = logging.getLogger(__name__)

Callback = Callable[..., Coroutine[Any, Any, Any]]
_SLACK = 0.1  # seconds added to Telegram's retry_after
_PRUNE_AT = 1024  # per-chat state kept before idle entries are dropped


def bucket(limit: float, period: float, burst: int) -> AsyncLimiter:
    """A limiter allowing at most ``limit`` acquisitions in any window of ``period`` seconds: up to
    ``burst`` at once, the rest spread evenly."""
    burst = max(1, min(burst, int(limit)))
    per_second = max(limit - burst, 0.001) / period
    return AsyncLimiter(burst, burst / per_second)


def _is_message(endpoint: str) -> bool:
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint in (
        "copyMessage",
        "forwardMessage",
    )


async def _sleep(seconds: float) -> None:
    """Sleep without holding an update-processing slot."""
    async with slot_released():
        await asyncio.sleep(seconds)


async def _acquire(limiter: AsyncLimiter) -> None:
    """Take one unit of ``limiter``; when that means waiting, wait without holding a processing slot."""
    if limiter.has_capacity():
        await limiter.acquire()  # immediate: no await point before the capacity is taken
        return
    async with slot_released():
        await limiter.acquire()


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asks to wait (PTB 22 holds them as a timedelta)."""
    value = exc.retry_after
    return value if isinstance(value, int | float) else value.total_seconds()


class DeliveryPolicy(BaseRateLimiter[int]):
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
        self._overall = bucket(rate * 0.9, 1.0, max(1, rate // 10)) if rate else None
        # backoff x 1, 2, 4, ... up to the cap, plus up to ``backoff`` of jitter so retries spread out
        self._backoff = wait_exponential(multiplier=backoff, max=max_backoff) + wait_random(0, backoff)
        self._answer_backoff = wait_exponential(multiplier=backoff, max=1.0) + wait_random(0, backoff)
        self._chats: dict[int | str, AsyncLimiter] = {}
        self._paused: dict[int | str, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    # ----- limits ----------------------------------------------------------------------------------
    def _chat_limiter(self, chat: int | str) -> AsyncLimiter:
        limiter = self._chats.get(chat)
        if limiter is None:
            if len(self._chats) >= _PRUNE_AT:
                for key, old in list(self._chats.items()):
                    if old.has_capacity(old.max_rate):
                        del self._chats[key]
            group = isinstance(chat, str) or chat < 0
            limiter = bucket(20, 60.0, 3) if group else bucket(4, 1.0, 3)
            self._chats[chat] = limiter
        return limiter

    async def _turn(self, endpoint: str, chat: int | str | None) -> None:
        """Wait until this request may go: the chat's 429 pause, its message bucket, the overall bucket."""
        if chat is None:
            return
        loop = asyncio.get_running_loop()
        while (wait := self._paused.get(chat, 0.0) - loop.time()) > 0:
            await _sleep(wait)
        if self.rate and _is_message(endpoint):
            await _acquire(self._chat_limiter(chat))
        if self._overall is not None:
            await _acquire(self._overall)

    def _pause(self, chat: int | str | None, seconds: float) -> None:
        if chat is None:
            return
        now = asyncio.get_running_loop().time()
        if len(self._paused) >= _PRUNE_AT:
            self._paused = {k: t for k, t in self._paused.items() if t > now}
        self._paused[chat] = max(self._paused.get(chat, 0.0), now + seconds + _SLACK)

    # ----- retries ---------------------------------------------------------------------------------
    def _retryable(self, exc: BaseException, answer: bool = False) -> bool:
        if isinstance(exc, RetryAfter):
            return retry_after_seconds(exc) <= (self.answer_budget if answer else self.max_retry_after)
        return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)

    def _wait(self, state: RetryCallState, answer: bool) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryAfter):
            return retry_after_seconds(exc) + _SLACK
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
        rate_limit_args: int | None,
    ) -> Any:
        """Send one request under the limits, retrying as the policy says; the last error propagates."""
        chat = data.get("chat_id")
        if isinstance(chat, str) and chat.lstrip("-").isdigit():
            chat = int(chat)
        answer = endpoint == "answerCallbackQuery"
        retrying = AsyncRetrying(
            stop=stop_after_attempt(rate_limit_args or self.attempts)
            | stop_after_delay(self.answer_budget if answer else self.budget),
            wait=lambda state: self._wait(state, answer),
            retry=retry_if_exception(lambda exc: self._retryable(exc, answer)),
            before_sleep=lambda state: self._log_retry(endpoint, chat, state),
            sleep=_sleep,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                await self._turn(endpoint, chat)
                try:
                    return await callback(*args, **kwargs)
                except RetryAfter as exc:
                    if self._retryable(exc, answer):  # a wait too long to honour is not imposed later
                        self._pause(chat, retry_after_seconds(exc))
                    raise
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover
