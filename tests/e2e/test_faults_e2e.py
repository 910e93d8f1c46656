"""Telegram misbehaving: flood control, 5xx, dropped connections, timeouts, blocked and vanished chats.

The real Application against the fake Bot API with its fault knobs; every user still gets every answer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace

import pytest

from bot.adapters.telegram import unreadable
from bot.adapters.telegram.builder import base_builder
from bot.adapters.telegram.pacer import Pacer
from bot.adapters.telegram.retry import DeliveryPolicy
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.fake_bot_model import BOT_USER, user
from tests.e2e.conftest import running_bot

pytestmark = pytest.mark.unmeasured
_MESSAGES = ("sendMessage", "editMessageText", "editMessageReplyMarkup")


def chat_calls(api: FakeBotApi, chat_id: int, since: int = 0) -> list:
    return [c for c in api.calls[since:] if str(c.params.get("chat_id")) == str(chat_id)]


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max((sum(1 for u in times[i:] if u - t < window) for i, t in enumerate(times)), default=0)


async def test_429_on_send_edit_and_callback_answer_is_waited_out(chat: ChatClient, api: FakeBotApi) -> None:
    api.faults.script = {"sendMessage": ["429"], "editMessageText": ["429"], "answerCallbackQuery": ["429"]}
    assert "第 1/" in (await chat.send("/start")).plain
    province = await chat.click("城乡居民")
    assert "你在哪个省份参保" in province.plain and chat.toast is None
    assert api.offers[chat.last_update].answers == 1  # the button press was answered after all
    assert api.faults.injected["429"] == 3
    for method in ("sendMessage", "editMessageText", "answerCallbackQuery"):
        calls = api.calls_of(method)
        limited = next(i for i, c in enumerate(calls) if c.error and "Too Many Requests" in c.error)
        retry = calls[limited + 1]
        assert retry.error is None and retry.at - calls[limited].at >= 1.0  # waited retry_after
    assert len(chat.messages) == 1


async def test_5xx_dropped_connections_and_timeouts_are_retried(
    settings, api: FakeBotApi, wizard, renderer
) -> None:
    api.faults.hang = 1.5  # longer than the bot's 1 s timeout
    api.faults.script = {
        "sendMessage": ["5xx", "reset", "timeout"],
        "editMessageText": ["5xx", "reset"],
        "answerCallbackQuery": ["5xx"],
    }
    async with running_bot(replace(settings, telegram_timeout=1), api, wizard, renderer) as bot:
        chat = ChatClient(api, bot.tracker)
        assert "第 1/" in (await chat.send("/start")).plain
        province = await chat.click("灵活就业人员")
        assert "你在哪个省份参保" in province.plain and api.offers[chat.last_update].answers == 1
    assert dict(api.faults.injected) == {"5xx": 3, "reset": 2, "timeout": 1}
    assert len(chat.messages) == 1  # nothing was sent twice, nothing lost
    assert [c.error for c in api.calls_of("sendMessage")][:4] == ["Bad Gateway", "reset", "timeout", None]


async def test_long_polling_resumes_by_itself_and_no_update_is_lost(
    chat: ChatClient, api: FakeBotApi, caplog
) -> None:
    # The fourth failure in a row reaches the updater's back-off.
    api.faults.script = {"getUpdates": ["5xx", "reset", "5xx", "reset"]}
    await api.wait_for(lambda: api.faults.injected["5xx"] == 1, timeout=5)
    during = await chat.send("/start")  # sent while polling is failing: delivered once it recovers
    assert "第 1/" in during.plain
    assert api.faults.injected["reset"] == 2 and api.faults.injected["5xx"] == 2
    assert "getUpdates failed, retrying" in caplog.text
    assert "第 2/" in (await chat.click("城乡居民")).plain


@pytest.mark.parametrize("fault", ["5xx", "reset", "timeout"])
async def test_one_failed_long_poll_is_tried_again_at_once_not_after_the_updaters_pause(
    chat: ChatClient, api: FakeBotApi, caplog, fault: str
) -> None:
    """PTB's updater pauses a second after any failed getUpdates, and nobody's update arrives meanwhile:
    a hiccup (a 502, a dropped connection, a stalled request the server drops) is tried again at once;
    only a fourth failure in a row reaches the updater's back-off."""
    caplog.set_level(logging.INFO, logger="bot.adapters.telegram.unreadable")
    api.faults.script = {"getUpdates": [fault]}
    await api.wait_for(lambda: api.faults.injected[fault] == 1, timeout=5)
    assert "第 1/" in (await chat.send("/start")).plain
    assert caplog.text.count("getUpdates failed") == 1 and "trying again in 0.00 s" in caplog.text
    assert "getUpdates failed, retrying" not in caplog.text  # the updater never saw the failure


async def test_flood_control_on_long_polling_is_waited_out_without_the_updaters_extra_half_second(
    chat: ChatClient, api: FakeBotApi, caplog
) -> None:
    """PTB's updater waits retry_after + 0.5 s after a 429 on getUpdates, and nobody's update arrives
    meanwhile: the bot waits exactly retry_after itself and asks again; the updater never sees the 429s."""
    caplog.set_level(logging.INFO, logger="bot.adapters.telegram.unreadable")
    caplog.set_level(logging.DEBUG, logger="telegram.ext")
    api.faults.script = {"getUpdates": ["429", "429"]}
    await api.wait_for(lambda: api.faults.injected["429"] == 2, timeout=10)
    assert "第 1/" in (await chat.send("/start")).plain
    assert caplog.text.count("getUpdates: flood control") == 2 and "trying again in 1.00 s" in caplog.text
    assert "Adding 0.5 seconds" not in caplog.text  # the updater's own handling of a 429
    polls = api.calls_of("getUpdates")
    limited = [i for i, c in enumerate(polls) if c.fault == "429"]
    assert limited == [limited[0], limited[0] + 1]  # asked again after each 429, nothing in between
    assert polls[limited[1] + 1].fault is None
    for i in limited:
        assert polls[i + 1].at - polls[i].at >= 1.0  # retry_after was honoured


async def test_a_long_flood_wait_on_long_polling_is_left_to_the_updater(
    chat: ChatClient, api: FakeBotApi, caplog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One getUpdates call takes at most FLOOD_WAIT seconds of 429 waits on itself (PTB's last call at
    shutdown comes through it too); a longer one goes to the updater, which waits it out as well."""
    monkeypatch.setattr(unreadable, "FLOOD_WAIT", 0.5)  # below retry_after (1 s)
    caplog.set_level(logging.INFO, logger="bot.adapters.telegram.unreadable")
    caplog.set_level(logging.DEBUG, logger="telegram.ext")
    api.faults.script = {"getUpdates": ["429"]}
    await api.wait_for(lambda: api.faults.injected["429"] == 1, timeout=10)
    assert "第 1/" in (await chat.send("/start")).plain
    assert "getUpdates: flood control" not in caplog.text
    assert "Adding 0.5 seconds" in caplog.text  # the updater waited retry_after + 0.5 s


async def test_long_polling_waits_to_gather_updates_only_while_answers_wait_for_the_flood_limit(
    settings, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the flood limit each getUpdates brought one or two updates and cost as much CPU as they did:
    while a second or more of answers wait for the limit, polling waits before asking (here: an hour)."""
    monkeypatch.setattr(unreadable, "GATHER", 3600.0)
    bot = base_builder(settings).build().bot
    policy = bot.rate_limiter
    assert isinstance(policy, DeliveryPolicy)
    await bot.initialize()
    try:
        assert await asyncio.wait_for(bot.get_updates(timeout=0), 30) == ()  # nothing waits: at once
        waiters = [asyncio.create_task(policy._overall.acquire()) for _ in range(60)]
        await asyncio.sleep(0)
        assert policy.backlog >= unreadable.BUSY
        polls = len(api.calls_of("getUpdates"))
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(bot.get_updates(timeout=0), 1.0)
        assert len(api.calls_of("getUpdates")) == polls  # it was waiting, not asking
        for w in waiters:
            w.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
        assert policy.backlog == 0
        assert await asyncio.wait_for(bot.get_updates(timeout=0), 30) == ()
    finally:
        await bot.shutdown()


@pytest.mark.parametrize("refusal", ["blocked", "missing"])
async def test_refused_chat_is_marked_inactive_without_retries_and_others_go_on(
    api: FakeBotApi, bot, refusal: str
) -> None:
    gone, other = ChatClient(api, bot.tracker, 300001), ChatClient(api, bot.tracker, 300002)
    await gone.send("/start")
    await gone.click("城乡居民")
    getattr(api.faults, refusal).add(gone.chat_id)
    since = len(api.calls)
    refused = [api.push_text(gone.chat_id, "湖南"), api.push_text(gone.chat_id, "长沙")]
    await other.send("/start")
    assert "第 2/" in (await other.click("灵活就业人员")).plain  # another user is not held up
    for update_id in refused:
        await bot.tracker.wait(update_id)
    assert not (await bot.store.load(gone.chat_id)).active
    # One attempt per update, no retries, no error notice: nothing else is sent to a refused chat.
    assert len(chat_calls(api, gone.chat_id, since)) == 2
    getattr(api.faults, refusal).discard(gone.chat_id)
    back = await gone.send("/start")  # the user comes back
    record = await bot.store.load(gone.chat_id)
    assert record.active and "长沙" in back.plain and record.session.slots["city"] == "430100"


def _membership(chat_id: int, old: str, new: str) -> dict:
    def member(status: str) -> dict:
        return {"user": BOT_USER, "status": status, **({"until_date": 0} if status == "kicked" else {})}

    return {
        "my_chat_member": {
            "chat": {"id": chat_id, "type": "private", "first_name": "小王"},
            "from": user(chat_id, "小王"),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
    }


async def test_blocking_and_unblocking_the_bot_flip_the_active_flag(
    chat: ChatClient, api: FakeBotApi, bot
) -> None:
    await chat.send("/start")
    await bot.tracker.wait(api.push_update(chat.chat_id, _membership(chat.chat_id, "member", "kicked")))
    assert not (await bot.store.load(chat.chat_id)).active
    await bot.tracker.wait(api.push_update(chat.chat_id, _membership(chat.chat_id, "kicked", "member")))
    assert (await bot.store.load(chat.chat_id)).active
    assert len(chat.messages) == 1  # membership changes are not answered


def record_turns(monkeypatch: pytest.MonkeyPatch, pacer: Pacer) -> list[float]:
    """The loop times at which ``pacer`` lets a request go: the bot's own sending schedule."""
    turns: list[float] = []
    try_acquire, release = Pacer.try_acquire, Pacer._release

    def trying(self: Pacer) -> bool:
        taken = try_acquire(self)
        if taken and self is pacer:
            turns.append(asyncio.get_running_loop().time())
        return taken

    def releasing(self: Pacer) -> None:
        before = self.waiting
        release(self)
        if self is pacer:
            turns.extend([asyncio.get_running_loop().time()] * (before - self.waiting))

    monkeypatch.setattr(Pacer, "try_acquire", trying)
    monkeypatch.setattr(Pacer, "_release", releasing)
    return turns


async def test_many_users_tapping_at_once_stay_under_telegrams_limits(
    api: FakeBotApi, bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every message and edit takes a turn of the overall limit, which never lets more than 27 (90% of
    Telegram's 30) go in any one second. Counted where the bot decides, not at the fake server: there a
    busy test machine bunches sends made 40 ms apart (a 150 ms stall showed 31 in a second)."""
    turns = record_turns(monkeypatch, bot.app.bot.rate_limiter._overall)
    users = [ChatClient(api, bot.tracker, 400000 + i) for i in range(40)]
    started = [api.push_text(u.chat_id, "/start") for u in users]
    await asyncio.gather(*(bot.tracker.wait(i, timeout=30) for i in started))
    taps = [api.push_callback(u.chat_id, u.wizard.message_id, u.wizard.data_for("城乡居民")) for u in users]
    await asyncio.gather(*(bot.tracker.wait(i, timeout=30) for i in taps))
    for u in users:
        assert "你在哪个省份参保" in u.wizard.plain
    messages = [c.at for c in api.calls if c.method in _MESSAGES]
    paced = [c for c in api.calls if "chat_id" in c.params]
    assert len(messages) == 80 and len(turns) == len(paced)  # nothing went around the limit
    assert max_in_window(turns, 1.0) <= 27  # Telegram: about 30 messages/s
    assert all(api.offers[t].answers == 1 for t in taps)


async def test_one_chat_gets_at_most_one_new_message_a_second_after_a_short_burst(
    chat: ChatClient, api: FakeBotApi, bot
) -> None:
    ids = [api.push_text(chat.chat_id, text) for text in ("/start", "湖南", "长沙", "微信", "/help")]
    await asyncio.gather(*(bot.tracker.wait(i) for i in ids))
    times = sorted(c.at for c in chat_calls(api, chat.chat_id) if c.method == "sendMessage")
    assert len(times) == 5
    for k in range(3, 5):  # a burst of 3, then 1 per second (0.1 s of slack for the loopback)
        assert times[k] - times[0] >= (k - 2) - 0.1


async def test_a_chat_waiting_out_flood_control_does_not_hold_up_the_others(
    settings, api: FakeBotApi, wizard, renderer
) -> None:
    async with running_bot(replace(settings, telegram_concurrency=1), api, wizard, renderer) as bot:
        slow, quick = ChatClient(api, bot.tracker, 700001), ChatClient(api, bot.tracker, 700002)
        api.faults.script = {"sendMessage": ["429"]}  # the next message (to the slow chat) must wait 1 s
        waiting = api.push_text(slow.chat_id, "/start")
        await api.wait_for(lambda: api.faults.injected["429"] == 1)
        await quick.send("/start")  # with one processing slot, served while the other chat waits
        await bot.tracker.wait(waiting)
        assert api.offers[quick.last_update].delivered_at < api.offers[waiting].delivered_at


async def test_flood_wait_too_long_to_wait_for_is_logged_not_retried(
    chat: ChatClient, api: FakeBotApi, caplog
) -> None:
    api.faults.retry_after = 3600  # Telegram says: an hour. Holding the update that long helps nobody.
    api.faults.script = {"sendMessage": ["429"]}
    update_id = api.push_text(chat.chat_id, "/start")
    await chat.tracker.wait(update_id)
    assert len(api.calls_of("sendMessage")) == 1 and chat.messages == []  # no retry, no error notice
    assert "flood control, not retried" in caplog.text
    api.faults.retry_after = 1
    assert "第 1/" in (await chat.send("/start")).plain  # the chat is not paused for an hour either
