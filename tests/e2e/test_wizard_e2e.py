"""The whole bot over HTTP: real Application, real SQLite, fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import random
import re
from dataclasses import replace

import pytest

from bot.adapters.telegram.texts import load_texts
from bot.render import MESSAGES_DIR
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from tests.e2e.conftest import running_bot

TEXTS = load_texts(MESSAGES_DIR)


def short(name: str) -> str:
    """A province's button label: its name without the administrative ending (湖南省 -> 湖南)."""
    return re.sub(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|省|市)$", "", name)


async def pick_province(chat: ChatClient, label: str):
    """Tap ``label`` on the province keyboard (every province is on its one page)."""
    assert short(label) in chat.wizard.labels, f"{label} not on the keyboard"
    return await chat.click(short(label))


async def state_of(bot, chat: ChatClient):
    return (await bot.store.load(chat.chat_id)).session


async def test_flexible_employee_to_instructions_in_one_edited_message(chat: ChatClient, bot) -> None:
    start = await chat.send("/start")
    assert "医保缴费向导" in start.plain and "第 1/" in start.plain
    await chat.click("灵活就业人员")
    await pick_province(chat, "湖南省")
    assert "长沙市" in chat.wizard.labels
    await chat.click("长沙市")
    page = await chat.click("💬 微信")
    assert len(chat.messages) == 1 and page.message_id == start.message_id and page.edits >= 4
    assert "缴费指南" in page.plain and "操作步骤" in page.plain and "\n1. " in page.plain
    assert "灵活就业人员 · 湖南省长沙市 · 微信" in page.plain
    assert "🔁 换个缴费渠道" in page.labels
    assert (await state_of(bot, chat)).state == "instructions"


async def test_resident_to_instructions_without_city_step(chat: ChatClient) -> None:
    await chat.send("/start")
    await chat.click("城乡居民")
    channel = await pick_province(chat, "重庆市")
    assert "🔷 支付宝" in channel.labels and "第 3/3 步" in channel.plain
    page = await chat.click("🔷 支付宝")
    assert "缴费指南" in page.plain and "城乡居民 · 重庆市 · 支付宝" in page.plain
    assert "📍 在哪交：" in page.plain and "ℹ️ 电话、来源和更多" in page.labels


async def test_typed_region_gets_new_message_and_old_buttons_go_stale(chat: ChatClient, bot) -> None:
    await chat.send("/start")
    first = await chat.click("城乡居民")
    old_text = first.text
    answer = await chat.send("长沙")
    assert answer.message_id != first.message_id
    assert "已识别" in answer.plain and "湖南省长沙市" in answer.plain and "💬 微信" in answer.labels
    assert chat.messages[0].text == old_text  # the old message is left alone
    after = await chat.click("北京", first)  # a button of the old message
    assert chat.toast == TEXTS.toast_stale
    assert after.message_id == first.message_id and "过期" in after.plain and "💬 微信" in after.labels
    assert (await state_of(bot, chat)).slots["city"] == "430100"


async def test_typed_text_that_is_not_an_answer(chat: ChatClient, bot) -> None:
    await chat.send("/start")
    await chat.click("城乡居民")
    before = await state_of(bot, chat)
    answer = await chat.send("今天天气不错")
    assert "没看懂" in answer.plain and "你在哪个省份参保" in answer.plain
    assert await state_of(bot, chat) == before


async def test_back_and_restart_buttons(chat: ChatClient) -> None:
    await chat.send("/start")
    await chat.click("城乡居民")
    await pick_province(chat, "广东省")
    await chat.click("深圳市")
    channel = await chat.click("⬅️ 上一步")
    assert "你在广东省哪个城市参保" in channel.plain and f"{TEXTS.selected_mark}深圳市" in channel.labels
    province = await chat.click("⬅️ 上一步")
    assert f"{TEXTS.selected_mark}广东" in province.labels  # the page showing the current choice
    first = await chat.click("🔄 重新开始")
    assert "重新开始" in first.plain and "第 1/" in first.plain and "🔄 重新开始" not in first.labels


async def test_commands_restart_cancel_help(chat: ChatClient, api: FakeBotApi) -> None:
    await chat.send("/start")
    wizard = await chat.click("灵活就业人员")
    restarted = await chat.send("/restart")
    assert restarted.message_id != wizard.message_id and "第 1/" in restarted.plain
    bye = await chat.send("/cancel")
    assert "已结束" in bye.plain and not bye.buttons
    assert api.messages[(chat.chat_id, restarted.message_id)].markup is None  # keyboard taken off
    await chat.press(wizard.data_for("⬅️ 上一步"), wizard)
    assert chat.toast == TEXTS.toast_stale
    help_text = await chat.send("/help")
    assert "使用说明" in help_text.plain and "/restart" in help_text.plain and not help_text.buttons


async def test_unknown_command_gets_help(chat: ChatClient) -> None:
    answer = await chat.send("/pay_now<b>")
    assert "我不认识" in answer.plain and "/pay_now<b>" in answer.plain and "使用说明" in answer.plain


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice", "document"])
async def test_media_gets_polite_hint_and_current_step(chat: ChatClient, bot, kind: str) -> None:
    await chat.send("/start")
    await chat.click("城乡居民")
    before = await state_of(bot, chat)
    answer = await chat.send_media(kind)
    assert "只能看懂文字" in answer.plain and "你在哪个省份参保" in answer.plain and answer.buttons
    assert await state_of(bot, chat) == before


async def test_very_long_text_is_answered_within_limits(chat: ChatClient) -> None:
    await chat.send("/start")
    answer = await chat.send("医保" * 2000)
    assert "没看懂" in answer.plain and len(answer.plain) <= 4096


@pytest.mark.parametrize(
    ("payload", "state", "expect"),
    [
        ("flex-430100-wechat", "instructions", "灵活就业人员 · 湖南省长沙市 · 微信"),
        ("res-500000", "channel", "已选：城乡居民 · 重庆市"),
        ("RES", "province", "已识别：城乡居民"),
        ("flex-999999", "identity", "链接"),
        ("flex-430000-wechat-extra", "identity", "链接"),
    ],
)
async def test_deep_links(chat: ChatClient, bot, payload: str, state: str, expect: str) -> None:
    await chat.send("/start")
    await chat.click("城乡居民")  # a conversation in progress is replaced by the link's choices
    answer = await chat.send(f"/start {payload}")
    assert expect in answer.plain
    assert (await state_of(bot, chat)).state == state


async def test_every_province_is_one_tap_away(chat: ChatClient, bot) -> None:
    await chat.send("/start")
    page = await chat.click("城乡居民")
    for name in ("北京", "四川", "湖南", "广东", "新疆"):
        assert name in page.labels  # 四川, 湖南 and 广东 were on page 2, 新疆 on page 3
    assert TEXTS.page_next not in page.labels and TEXTS.page_prev not in page.labels
    await chat.click("新疆")
    assert (await state_of(bot, chat)).slots["province"] == "650000"


async def test_garbage_callback_data_is_answered(chat: ChatClient, bot) -> None:
    await chat.send("/start")
    wizard = chat.wizard
    answer = await chat.press("not-ours:%%", wizard)
    assert chat.toast == TEXTS.toast_invalid and "第 1/" in answer.plain
    version = (await bot.store.load(chat.chat_id)).session.version
    answer = await chat.press(f"{version}:g:not-a-page", chat.wizard)  # well formed, nonsense value
    assert chat.toast is None and "第 1/" in answer.plain


async def test_identical_edit_counts_as_success(chat: ChatClient, bot, api: FakeBotApi) -> None:
    await chat.send("/start")
    wizard = await chat.click("城乡居民")
    data = f"{(await state_of(bot, chat)).version}:p:999999"  # current version, a choice that does not exist
    first = await chat.press(data, wizard)
    assert "不可用" in first.plain
    sent = len(chat.messages)
    await chat.press(data, wizard)
    assert "message is not modified" in (api.calls_of("editMessageText")[-1].error or "")
    assert len(chat.messages) == sent  # no error message, nothing new


async def test_updates_of_one_chat_run_in_order_while_chats_run_concurrently(api: FakeBotApi, bot) -> None:
    chats = [ChatClient(api, bot.tracker, chat_id=200000 + i) for i in range(6)]
    ids = []
    for c in chats:
        ids += [api.push_text(c.chat_id, t) for t in ("/start", "2", "重庆")]
    await asyncio.gather(*(bot.tracker.wait(i) for i in ids))
    for c in chats:
        session = (await bot.store.load(c.chat_id)).session
        assert session.state == "channel" and session.slots["province"] == "500000"


async def test_start_up_sets_command_menu_and_descriptions(chat: ChatClient, api: FakeBotApi) -> None:
    assert [(c["command"], c["description"]) for c in api.commands] == list(TEXTS.commands)
    assert api.description == TEXTS.description and api.short_description == TEXTS.short_description


async def test_failure_inside_a_handler_is_logged_and_answered(chat: ChatClient, bot, caplog) -> None:
    await chat.send("/start")
    await bot.store.close()  # the database goes away under the running bot
    answer = await chat.send("湖南")
    assert "出了点问题" in answer.plain
    assert any("failed" in r.getMessage() and r.exc_info for r in caplog.records)
    await bot.store.open()
    assert "第 2/" in (await chat.click("城乡居民")).plain


async def test_random_input_never_breaks_the_bot(settings, api: FakeBotApi, wizard, renderer) -> None:
    # 40 inputs as fast as possible: with the default limits Telegram's 1 message/s per chat would make
    # this take 20 s (the limits have their own tests in test_flood_e2e.py); here only input matters.
    async with running_bot(replace(settings, telegram_rate_limit=0), api, wizard, renderer) as bot:
        await _random_input(ChatClient(api, bot.tracker), bot)


async def _random_input(chat: ChatClient, bot) -> None:
    rng = random.Random(3)
    alphabet = "湖南长沙微信支付宝城乡居民灵活就业12 3:p-g_b<>&/\n🙂"
    await chat.send("/start")
    for _ in range(40):
        junk = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        wizard = chat.wizard
        if rng.random() < 0.5 and wizard is not None:
            version = (await state_of(bot, chat)).version
            data = rng.choice(
                [junk[:64], f"{version}:{junk[:3]}", f"{version}:p:{junk[:8]}", f"{version - 1}:b:"]
            )
            await chat.press(data or "x", wizard)
        else:
            await chat.send(junk if not junk.startswith("/") else junk[1:] or "x")
    assert not any("出了点问题" in m.plain for m in chat.messages)
    assert (await state_of(bot, chat)).state in ("identity", "province", "city", "channel", "instructions")
