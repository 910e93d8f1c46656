"""Payment reminders over the fake Bot API with an injected clock: set, list, change, cancel and
deliver for both identities; the deep link in a reminder; a restart with reminders due while the bot
was down; a chat that blocked the bot; /forget; and two instances on one real Redis sending each due
reminder exactly once under load."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections import Counter

from telegram import Bot
from telegram.ext import ExtBot

from bot.adapters.telegram.reminder_sender import ReminderSender
from bot.adapters.telegram.retry import OVERALL_GROUP, DeliveryPolicy
from bot.clock import ManualClock
from bot.reminders.plan import BEIJING
from bot.runtime import WizardHolder
from bot.store.factory import make_reminders
from bot.store.redis import RedisSessionStore
from bot.store.reminders import Reminder
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from tests.e2e.conftest import RunningBot, running_bot

WD = "一二三四五六日"


def at(y: int, m: int, d: int, h: int = 12, minute: int = 0) -> dt.datetime:
    """An instant in Beijing time (the bot's one clock is set to such instants)."""
    return dt.datetime(y, m, d, h, minute, tzinfo=BEIJING)


def bj(y: int, m: int, d: int, h: int = 12, minute: int = 0) -> float:
    return at(y, m, d, h, minute).timestamp()


def label(y: int, m: int, d: int) -> str:
    return f"{m}月{d}日（周{WD[dt.date(y, m, d).weekday()]}）"


def sender(bot: RunningBot) -> ReminderSender:
    return bot.app.bot_data["reminder_sender"]


async def deliver(bot: RunningBot) -> None:
    """One round of the sender, as the background task runs it."""
    await sender(bot).run_once(bot.app.bot)


async def test_resident_sets_lists_changes_cancels_and_gets_the_reminder(
    settings, api: FakeBotApi, wizard, renderer
) -> None:
    clock = ManualClock(at(2026, 12, 1))
    async with running_bot(settings, api, wizard, renderer, clock=clock) as bot:
        chat = ChatClient(api, bot.tracker)
        guide = await chat.send("/start res-430100-wechat")
        assert "⏰ 提醒我缴费" in guide.labels
        offer = await chat.click("⏰ 提醒我缴费")
        assert offer.message_id != guide.message_id  # the guide stays on screen
        assert "2027年度" in offer.plain and "不是官方截止日期" in offer.plain
        assert offer.labels[:3] == [label(2026, 12, 8), label(2026, 12, 10), label(2026, 12, 20)]
        done = await chat.click(label(2026, 12, 10), offer)
        assert done.message_id == offer.message_id
        assert "已设置提醒" in done.plain and "2026年12月10日（周四）10:00（北京时间）" in done.plain
        listed = await chat.send("/reminders")
        assert "城乡居民 · 湖南省长沙市 · 微信" in listed.plain and "2026年12月10日" in listed.plain
        change = await chat.click("✏️ 修改：湖南省长沙市", listed)
        changed = await chat.click(label(2026, 12, 20), change)
        assert "2026年12月20日（周日）10:00" in changed.plain
        assert [r.due for r in await bot_reminders(bot, chat)] == [bj(2026, 12, 20, 10)]
        # Delivery: nothing before the due time; at it, what, how much, by when, and the guide's deep link.
        clock.set(at(2026, 12, 20, 9, 59))
        await deliver(bot)
        assert chat.last.message_id == changed.message_id
        clock.set(at(2026, 12, 20, 10, 0))
        await deliver(bot)
        due = chat.last
        assert "缴费提醒" in due.plain and "2027年度城乡居民医保" in due.plain
        assert "缴多少" in due.plain and "截止" in due.plain and "以当地通知为准" in due.plain
        link = next(b["url"] for b in due.buttons if "url" in b)
        assert link == "https://t.me/yibao_test_bot?start=res-430100-wechat"
        await deliver(bot)  # sent once: nothing left
        assert chat.last.message_id == due.message_id and await bot_reminders(bot, chat) == []
        opened = await chat.send("/start " + link.rpartition("=")[2])  # following the link
        assert "长沙" in opened.plain and "操作步骤" in opened.plain
        # Cancel from the list.
        again = await chat.click("⏰ 提醒我缴费", opened)
        assert again.buttons
        await chat.press(again.buttons[0]["callback_data"], again)
        listed = await chat.send("/reminders")
        cancelled = await chat.click("❌ 取消：湖南省长沙市", listed)
        assert "已取消" in cancelled.plain and "还没有设置缴费提醒" in cancelled.plain
        assert await bot_reminders(bot, chat) == []


async def bot_reminders(bot: RunningBot, chat: ChatClient) -> list[Reminder]:
    return await sender(bot).reminders.of_chat(chat.chat_id)


async def test_flexible_typed_monthly_reminder_repeats(settings, api: FakeBotApi, wizard, renderer) -> None:
    clock = ManualClock(at(2026, 12, 1))
    async with running_bot(settings, api, wizard, renderer, clock=clock) as bot:
        chat = ChatClient(api, bot.tracker)
        await chat.send("/start flex-430100")
        done = await chat.send("每月10号提醒我")
        assert "每月10号上午10:00（北京时间）" in done.plain and "2026年12月10日（周四）10:00" in done.plain
        clock.set(at(2026, 12, 10, 10, 1))
        await deliver(bot)
        assert "灵活就业人员医保费" in chat.last.plain and "2026年12月" in chat.last.plain
        assert "缴多少" in chat.last.plain
        (nxt,) = await bot_reminders(bot, chat)
        assert nxt.due == bj(2027, 1, 10, 10) and nxt.day == 10
        offer = await chat.send("到时候提醒我")  # a flexible employee gets the monthly days
        assert "每月5号" in offer.labels and "每月25号" in offer.labels


async def test_a_request_before_choosing_explains_and_shows_the_step(
    settings, api: FakeBotApi, wizard, renderer
) -> None:
    async with running_bot(settings, api, wizard, renderer) as bot:
        chat = ChatClient(api, bot.tracker)
        answer = await chat.send("到时候提醒我")
        assert "请先选好参保身份和参保地" in answer.plain and "城乡居民" in answer.labels
        listed = await chat.send("我的提醒")
        assert "还没有设置缴费提醒" in listed.plain
        assert await bot_reminders(bot, chat) == []


async def test_restart_sends_what_fell_due_while_down_and_drops_what_is_too_late(
    settings, api: FakeBotApi, wizard, renderer, caplog
) -> None:
    clock = ManualClock(at(2026, 12, 1))
    resident, flexible, later = (ChatClient(api, None, c) for c in (500001, 500002, 500003))
    async with running_bot(settings, api, wizard, renderer, clock=clock) as first:
        for c in (resident, flexible, later):
            c.tracker = first.tracker
        offer = await resident.click("⏰ 提醒我缴费", await resident.send("/start res-430100-wechat"))
        await resident.click(label(2026, 12, 10), offer)
        await flexible.send("/start flex-430000")
        await flexible.send("每月5号提醒我")
        offer = await later.click("⏰ 提醒我缴费", await later.send("/start res-430000-alipay"))
        await later.click(label(2026, 12, 20), offer)
    # Down from 1 to 12 December: the resident's reminder (10th) still helps before the window ends;
    # the monthly one of the 5th is a week late and is dropped, then waits for 5 January.
    clock.set(at(2026, 12, 12))
    caplog.set_level(logging.INFO)
    async with running_bot(settings, api, wizard, renderer, clock=clock) as second:
        for c in (resident, flexible, later):
            c.tracker = second.tracker
        await api.wait_for(lambda: "缴费提醒" in (resident.last.plain if resident.last else ""))
        await api.wait_for(lambda: "dropped" in caplog.text)
        assert "2027年度城乡居民医保" in resident.last.plain
        assert "reminder 500002:flex" in caplog.text and "past its deadline" in caplog.text
        listed = await flexible.send("/reminders")
        assert "每月5号" in listed.plain and "2027年1月5日" in listed.plain
        listed = await later.send("/reminders")  # set before the restart, listed after it
        assert "2026年12月20日（周日）10:00" in listed.plain
        assert await bot_reminders(second, resident) == []


async def test_a_chat_that_blocked_the_bot_loses_its_reminders(
    settings, api: FakeBotApi, wizard, renderer
) -> None:
    clock = ManualClock(at(2026, 12, 1))
    async with running_bot(settings, api, wizard, renderer, clock=clock) as bot:
        chat, other = ChatClient(api, bot.tracker, 600001), ChatClient(api, bot.tracker, 600002)
        for c in (chat, other):
            await c.send("/start flex-430000")
            await c.send("每月5号提醒我")
        api.faults.blocked.add(chat.chat_id)
        clock.set(at(2026, 12, 5, 10, 30))
        await deliver(bot)
        assert await bot_reminders(bot, chat) == [] and not (await bot.store.load(chat.chat_id)).active
        assert "缴费提醒" in other.last.plain and len(await bot_reminders(bot, other)) == 1
        sends = [c for c in api.calls_of("sendMessage") if int(c.params["chat_id"]) == chat.chat_id]
        assert sum(1 for c in sends if c.error) == 1  # tried once, not retried
        api.faults.blocked.discard(chat.chat_id)


async def test_blocking_the_bot_drops_reminders_at_once(settings, api: FakeBotApi, wizard, renderer) -> None:
    from tests.e2e.test_faults_e2e import _membership

    async with running_bot(settings, api, wizard, renderer, clock=ManualClock(at(2026, 12, 1))) as bot:
        chat = ChatClient(api, bot.tracker)
        await chat.send("/start flex-430000")
        await chat.send("每月5号提醒我")
        await bot.tracker.wait(api.push_update(chat.chat_id, _membership(chat.chat_id, "member", "kicked")))
        assert await bot_reminders(bot, chat) == [] and not (await bot.store.load(chat.chat_id)).active


async def test_forget_deletes_reminders(settings, api: FakeBotApi, wizard, renderer) -> None:
    async with running_bot(settings, api, wizard, renderer, clock=ManualClock(at(2026, 12, 1))) as bot:
        chat = ChatClient(api, bot.tracker)
        await chat.send("/start flex-430000")
        await chat.send("每月5号提醒我")
        privacy = await chat.send("/privacy")
        assert "缴费提醒" in privacy.plain
        gone = await chat.send("/forget")
        assert "已删除" in gone.plain and await bot_reminders(bot, chat) == []


async def test_two_instances_on_one_redis_send_each_reminder_exactly_once(
    api: FakeBotApi, wizard, renderer, redis_url: str
) -> None:
    prefix = f"t{uuid.uuid4().hex}:"
    n = 1000
    now = bj(2026, 12, 10, 10, 30)
    senders: list[ReminderSender] = []
    bots: list[Bot] = []
    for i in range(2):
        store = RedisSessionStore(redis_url, prefix)
        await store.open()
        reminders = make_reminders(store)
        await reminders.open()
        bot = Bot(api.token, base_url=api.base_url_for(f"i{i}"))
        await bot.initialize()
        bots.append(bot)
        senders.append(
            ReminderSender(
                reminders, store, WizardHolder(wizard), renderer, lambda: now, rate=500, interval=0.1
            )
        )
    slots = {"identity": "flexible", "province": "430000", "channel": "tax"}
    for chat in range(n):
        due = bj(2026, 12, 10, 10) - chat % 300
        await senders[chat % 2].reminders.put(Reminder(700000 + chat, "flex", due, due + 86_400, slots, 10))

    async def drain(s: ReminderSender, bot: Bot) -> None:
        while await s.run_once(bot):
            pass

    try:
        await asyncio.gather(*(drain(s, b) for s, b in zip(senders * 2, bots * 2, strict=True)))
        per_chat = Counter(int(c.params["chat_id"]) for c in api.calls_of("sendMessage"))
        assert len(per_chat) == n and set(per_chat.values()) == {1}, "each reminder sent exactly once"
        by = Counter(c.instance for c in api.calls_of("sendMessage"))
        assert by["i0"] and by["i1"], f"both instances sent some: {by}"
        assert senders[0].sent + senders[1].sent == n
        assert await senders[0].reminders.count() == n  # monthly: each moved on to January
        (r,) = await senders[1].reminders.of_chat(700000)
        assert r.due == bj(2027, 1, 10, 10)
        print(f"exactly-once: {n} due reminders, 2 instances on one Redis: {dict(by)}, duplicates 0")
    finally:
        for s, b in zip(senders, bots, strict=True):
            await b.shutdown()
            await s.store.close()


async def test_reminders_go_behind_answers_and_keep_their_pace(api: FakeBotApi, wizard, renderer) -> None:
    """Priority and pace without timing assertions: reminders go through the bot's one overall pacer
    (the delivery policy) behind answers to users; answers sent while reminders wait for their turns go
    first; and the sender never claims more than its pace sends in one interval."""
    from bot.store.memory import MemorySessionStore

    store = MemorySessionStore()
    reminders = make_reminders(store)
    s = ReminderSender(
        reminders,
        store,
        WizardHolder(wizard),
        renderer,
        lambda: bj(2026, 12, 10, 11),
        rate=1000,
        interval=0.01,
    )
    slots = {"identity": "flexible", "province": "430000", "channel": "tax"}
    for chat in range(s.batch()):
        await reminders.put(
            Reminder(800000 + chat, "flex", bj(2026, 12, 10, 10), bj(2026, 12, 17), slots, 10)
        )
    policy = DeliveryPolicy(rate=10)  # the overall pacer lets about 8 messages a second through
    overall = policy._overall
    assert overall is not None
    bot = ExtBot(api.token, base_url=api.base_url, rate_limiter=policy)
    await bot.initialize()

    def sent(first: int) -> list[int]:
        chats = [int(c.params["chat_id"]) for c in api.calls_of("sendMessage")]
        return [c for c in chats if first <= c < first + 100_000]

    try:
        task = asyncio.create_task(s.run_once(bot))
        await api.wait_for(lambda: overall.waiting >= 3, 10)  # reminders queue for the overall limit
        before = len(sent(800000))
        answers = [asyncio.create_task(bot.send_message(900000 + i, "answer")) for i in range(4)]
        await asyncio.gather(*answers)
        overtaking = len(sent(800000)) - before
        # reminders whose turns came before the answers queued may still arrive: the pacer hands turns
        # out a group at a time (OVERALL_GROUP), so up to a group, rarely two, are on their way
        assert overtaking <= 2 * OVERALL_GROUP, (
            f"{overtaking} reminders went before answers that were waiting"
        )
        assert await task is True  # a full batch: more are waiting
        assert len(sent(800000)) == s.batch() == 10
        assert len(sent(900000)) == 4
    finally:
        await bot.shutdown()
