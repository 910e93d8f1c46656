"""The delivery policy on its own: which failures are retried, how long it waits, and the rate limits.

A request here is a coroutine that records when it ran and fails as scripted; no network is involved.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

import bot.adapters.telegram  # noqa: F401 - opts PTB in to timedelta durations (no deprecation warnings)
from bot.adapters.telegram.pacer import Pacer
from bot.adapters.telegram.retry import DeliveryPolicy, Priority


class Script:
    """A fake Bot API call: raises the scripted errors in turn, then succeeds; records call times."""

    def __init__(self, errors: Iterable[BaseException] = ()) -> None:
        self.errors = list(errors)
        self.times: list[float] = []

    async def __call__(self, *args: object, **kwargs: object) -> bool:
        self.times.append(asyncio.get_running_loop().time())
        if self.errors:
            raise self.errors.pop(0)
        return True


async def send(
    policy: DeliveryPolicy,
    script: Script,
    endpoint: str = "sendMessage",
    chat: int | None = 1,
    priority: Priority | None = None,
):
    data = {} if chat is None else {"chat_id": chat}
    return await policy.process_request(script, (), {}, endpoint, data, priority)


def fast() -> DeliveryPolicy:
    return DeliveryPolicy(rate=0, backoff=0.01, max_backoff=0.05)


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max((sum(1 for u in times[i:] if u - t < window) for i, t in enumerate(times)), default=0)


async def test_flood_control_waits_retry_after_then_succeeds() -> None:
    script = Script([RetryAfter(dt.timedelta(seconds=0.3))])
    assert await send(fast(), script) is True
    assert len(script.times) == 2 and script.times[1] - script.times[0] >= 0.3


@pytest.mark.parametrize(
    "error", [NetworkError("Bad Gateway"), TimedOut(), NetworkError("httpx.RemoteProtocolError: reset")]
)
async def test_transient_failures_are_retried_with_backoff(error: Exception) -> None:
    script = Script([error, error])
    assert await send(DeliveryPolicy(rate=0, backoff=0.05, max_backoff=1), script) is True
    assert len(script.times) == 3
    # Back-off doubles: at least 0.05 s, then at least 0.1 s (plus up to 0.05 s of jitter each).
    assert script.times[1] - script.times[0] >= 0.05 and script.times[2] - script.times[1] >= 0.1


async def test_retries_are_bounded_and_the_last_error_propagates() -> None:
    script = Script([TimedOut()] * 20)
    with pytest.raises(TimedOut):
        await send(fast(), script)
    assert len(script.times) == 10  # attempts


async def test_retries_are_bounded_in_time_too() -> None:
    policy = DeliveryPolicy(rate=0, budget=0.3, answer_budget=0.1, backoff=0.05, max_backoff=0.1)
    for endpoint, budget in (("sendMessage", 0.3), ("answerCallbackQuery", 0.1)):
        script = Script([NetworkError("Bad Gateway")] * 20)
        with pytest.raises(NetworkError):
            await send(policy, script, endpoint)
        assert 1 < len(script.times) < 10 and script.times[-2] - script.times[0] < budget


@pytest.mark.parametrize(
    "error",
    [
        BadRequest("Bad Request: message text is empty"),
        Forbidden("Forbidden: bot was blocked by the user"),
        RetryAfter(dt.timedelta(seconds=3600)),  # longer than max_retry_after: not waited for
    ],
)
async def test_errors_that_a_retry_cannot_fix_are_not_retried(error: Exception) -> None:
    script = Script([error])
    with pytest.raises(type(error)):
        await send(fast(), script)
    assert len(script.times) == 1


async def test_429_pauses_only_the_chat_concerned() -> None:
    policy = fast()
    limited = Script([RetryAfter(dt.timedelta(seconds=0.4))])
    first = asyncio.create_task(send(policy, limited, chat=1))
    await asyncio.sleep(0.05)  # chat 1 is now paused
    same_chat, other_chat = Script(), Script()
    start = asyncio.get_running_loop().time()
    await asyncio.gather(first, send(policy, same_chat, chat=1), send(policy, other_chat, chat=2))
    assert other_chat.times[0] - start < 0.2  # another chat is not held up
    assert same_chat.times[0] - start >= 0.3  # the paused chat waits for the end of the pause


async def test_overall_rate_stays_under_the_limit_in_any_second() -> None:
    policy = DeliveryPolicy(rate=30)
    scripts = [Script() for _ in range(36)]
    await asyncio.gather(*(send(policy, s, "editMessageText", chat=i) for i, s in enumerate(scripts)))
    times = [s.times[0] for s in scripts]
    assert max_in_window(times, 1.0) <= 27  # 90% of 30, the rest is margin for network jitter


async def test_callback_answers_and_requests_without_chat_are_not_throttled() -> None:
    policy = DeliveryPolicy(rate=30)
    scripts = [Script() for _ in range(60)]
    start = asyncio.get_running_loop().time()
    await asyncio.gather(*(send(policy, s, "answerCallbackQuery", chat=None) for s in scripts))
    assert max(s.times[0] for s in scripts) - start < 0.5


async def test_messages_to_one_chat_go_at_one_per_second_after_a_burst_of_three() -> None:
    policy = DeliveryPolicy(rate=30)
    sends = [Script() for _ in range(4)]
    edits = [Script() for _ in range(6)]
    await asyncio.gather(
        *(send(policy, s, "sendMessage", chat=5) for s in sends),
        *(send(policy, s, "editMessageText", chat=5) for s in edits),
    )
    times = sorted(s.times[0] for s in sends)
    assert times[2] - times[0] < 0.3 and times[3] - times[0] >= 0.9
    assert max(s.times[0] for s in edits) - min(times) < 0.5  # edits answer taps: not held per chat


def test_pacer_shape() -> None:
    pacer = Pacer.within(27, 1.0, 3)
    assert pacer._interval == pytest.approx(1 / 24) and pacer._tau == pytest.approx(2 / 24)


def test_the_overall_limit_keeps_a_burst_allowance_so_a_late_timer_catches_up() -> None:
    """27 in any second as a burst of 3 and then 24 a second: evenly spaced with no allowance, every late
    timer on a busy event loop was a turn lost for good (19-22 instead of 26 messages a second)."""
    policy = DeliveryPolicy(rate=30)
    assert policy.sustained_rate == pytest.approx(24) and policy._overall._tau == pytest.approx(2 / 24)
    assert DeliveryPolicy(rate=0).sustained_rate is None and DeliveryPolicy(rate=0).backlog == 0


async def test_answers_to_users_go_before_background_sends() -> None:
    """Reminders and notices (Priority.BACKGROUND) queued first still wait for the answers queued later."""
    policy = DeliveryPolicy(rate=30)
    order: list[str] = []

    def tagged(tag: str) -> Script:
        script = Script()
        inner = script.__call__

        async def call(*args: object, **kwargs: object) -> bool:
            order.append(tag)
            return await inner()

        script.__call__ = call  # type: ignore[method-assign]
        return script

    async def go(tag: str, chat: int, priority: Priority) -> None:
        script = tagged(tag)
        await policy.process_request(script.__call__, (), {}, "editMessageText", {"chat_id": chat}, priority)

    first = [asyncio.create_task(go("burst", i, Priority.ANSWER)) for i in range(3)]  # take the burst
    await asyncio.sleep(0)
    background = [asyncio.create_task(go("background", 100 + i, Priority.BACKGROUND)) for i in range(4)]
    await asyncio.sleep(0)
    answers = [asyncio.create_task(go("answer", 200 + i, Priority.ANSWER)) for i in range(4)]
    await asyncio.gather(*first, *background, *answers)
    assert order == ["burst"] * 3 + ["answer"] * 4 + ["background"] * 4
