"""Typed questions end to end: real Application, real SQLite, fake Bot API on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.telegram.split import LIMIT, utf16_len
from bot.catalog.loader import load_catalog
from bot.render import Renderer
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.wizard import Wizard
from tests.e2e.conftest import running_bot
from tests.helpers.trees import flows_tree

CHANGSHA_FLEX_WECHAT = {"identity": "flexible", "province": "430000", "city": "430100", "channel": "wechat"}
FULL_QUESTION = "我是灵活就业人员，在长沙，想用微信交医保怎么操作？"


async def session_of(bot, chat: ChatClient):
    return (await bot.store.load(chat.chat_id)).session


async def test_full_question_lands_on_the_instructions_in_one_message(chat: ChatClient, bot) -> None:
    answer = await chat.send(FULL_QUESTION)
    assert len(chat.messages) == 1 and answer is chat.messages[0]
    assert answer.plain.startswith("✅ 已识别：灵活就业人员 · 湖南省长沙市 · 微信\n")
    assert "操作步骤" in answer.plain and "\n1. 打开微信" in answer.plain and "📍 在哪交：" in answer.plain
    assert "🔁 换个缴费渠道" in answer.labels and "🧮 算一算要交多少" in answer.labels
    session = await session_of(bot, chat)
    assert session.state == "instructions" and dict(session.slots) == CHANGSHA_FLEX_WECHAT
    # The stored message is the one now showing the wizard: its buttons work.
    calc = await chat.click("🧮 算一算要交多少")
    assert calc.message_id == answer.message_id and "灵活就业人员要交多少" in calc.plain


async def test_partial_question_continues_at_the_right_step(chat: ChatClient, bot) -> None:
    await chat.send("/start")
    answer = await chat.send("城乡居民医保可以在支付宝交吗")
    assert "已识别：城乡居民 · 支付宝" in answer.plain and "你在哪个省份参保" in answer.plain
    assert "北京" in answer.labels and (await session_of(bot, chat)).state == "province"
    page = await chat.click("上海")  # the channel typed ahead is used when its step comes
    assert "缴费指南" in page.plain and "城乡居民 · 上海市 · 支付宝" in page.plain
    assert (await session_of(bot, chat)).state == "instructions"


async def test_typed_city_after_partial_question_goes_straight_to_the_instructions(chat: ChatClient) -> None:
    await chat.send("城乡居民医保可以在支付宝交吗")
    page = await chat.send("长沙")
    assert "已识别：湖南省长沙市" in page.plain and "城乡居民 · 湖南省长沙市 · 支付宝" in page.plain


async def test_faq_question_is_answered_with_buttons_to_continue(chat: ChatClient, bot) -> None:
    await chat.send("/start")
    answer = await chat.send("首次缴纳多久能用")
    assert "先选一下你的参保身份" in answer.plain and "什么时候生效（" not in answer.plain
    assert answer.labels == ["灵活就业人员", "城乡居民"]
    assert (await session_of(bot, chat)).state == "identity"
    nxt = await chat.click("城乡居民")
    assert "什么时候生效（全国一般规定 · 城乡居民）" in nxt.plain and "等待期" in nxt.plain
    assert "灵活就业人员）" not in nxt.plain and "你在哪个省份参保" in nxt.plain


async def test_faq_answer_is_region_specific_when_the_region_is_known(chat: ChatClient) -> None:
    await chat.send("灵活就业 长沙")
    answer = await chat.send("交了医保交不了社保怎么回事")
    assert "已有职工医保还能交居民医保吗（长沙市 · 灵活就业人员）" in answer.plain
    assert "同一时期只能参加一种基本医疗保险" in answer.plain
    assert "💬 微信" in answer.labels and "你想用哪种方式在长沙市缴费" in answer.plain


async def test_faq_question_on_the_instructions_page_opens_its_answer(chat: ChatClient) -> None:
    page = await chat.send(FULL_QUESTION)
    answer = await chat.send("断缴了怎么补")
    assert answer.message_id != page.message_id and "缴费期限/断缴怎么办" in answer.plain
    assert "📋 返回缴费指南" in answer.labels


async def test_calculator_question_on_the_instructions_page_computes(chat: ChatClient) -> None:
    await chat.send("我是灵活就业人员，在上海，用支付宝交")
    answer = await chat.send("基数5000每月交多少")
    assert "上海市 · 灵活就业人员要交多少" in answer.plain
    assert "缴费基数 5,000 元 × 费率 11% = 每月 550 元" in answer.plain


async def test_calculator_question_asks_for_the_region_then_computes(chat: ChatClient, bot) -> None:
    await chat.send("/start")
    ask = await chat.send("基数5000每月交多少")
    assert (
        "已识别：灵活就业人员" in ask.plain
        and "告诉我你的参保地" in ask.plain
        and "按基数 5000 元" in ask.plain
    )
    assert (await session_of(bot, chat)).question == "calc:5000"
    answer = await chat.send("上海")
    assert "上海市 · 灵活就业人员要交多少" in answer.plain and "每月 550 元" in answer.plain
    assert "💬 微信" in answer.labels and not (await session_of(bot, chat)).question


async def test_switch_channel_by_typing_on_the_instructions_page(chat: ChatClient, bot) -> None:
    await chat.send(FULL_QUESTION)
    answer = await chat.send("换成支付宝")
    assert (
        answer.plain.startswith("✅ 已识别：支付宝")
        and "灵活就业人员 · 湖南省长沙市 · 支付宝" in answer.plain
    )
    assert (await session_of(bot, chat)).slots["channel"] == "alipay"


async def test_typed_back_goes_to_the_previous_step(chat: ChatClient, bot) -> None:
    await chat.send(FULL_QUESTION)
    answer = await chat.send("上一步")
    assert "你想用哪种方式在长沙市缴费" in answer.plain and "✅ 💬 微信" in answer.labels
    assert (await session_of(bot, chat)).state == "channel"


async def test_unplaceable_message_gets_a_friendly_answer_and_the_menu(chat: ChatClient, bot) -> None:
    answer = await chat.send("asdf 今天吃什么")
    assert "没看懂" in answer.plain and "你是哪一类参保人" in answer.plain
    assert answer.labels == ["灵活就业人员", "城乡居民"]
    assert (await session_of(bot, chat)).state == "identity"


async def test_every_typed_message_gets_a_new_wizard_message_and_old_buttons_are_stale(
    chat: ChatClient, bot
) -> None:
    first = await chat.send("/start")
    second = await chat.send("湖南 城乡居民")
    assert second.message_id != first.message_id and first.buttons  # the old message is left as it was
    assert (await bot.store.load(chat.chat_id)).message_id == second.message_id
    await chat.click("灵活就业人员", first)
    assert "过期" in chat.last.plain and (await session_of(bot, chat)).slots["identity"] == "resident"


async def test_long_answer_is_split_with_the_keyboard_on_the_last_part(
    tmp_path: Path, settings, api: FakeBotApi, renderer: Renderer
) -> None:
    point = "断缴后请尽快补缴并保存凭证，" * 30  # about 420 characters
    points = "".join(f"          - 第{i}条：{point}\n" for i in range(12))
    region = (
        'code: "500000"\nname: 重庆市\naliases: [重庆市， 山城， 雾都]\nidentities:\n  resident:\n'
        f"    faq:\n      deadline:\n        points:\n{points}"
        "        source: 测试用的长答案\n        source_kind: official\n        retrieved: 2026-11-23\n"
    )
    wizard = Wizard(
        load_catalog(flows_tree(tmp_path, {"regions/500000-chongqing.yaml": region})), renderer.labels
    )
    async with running_bot(settings, api, wizard, renderer) as bot:
        chat = ChatClient(api, bot.tracker)
        await chat.send("/start")
        before = len(chat.messages)
        await chat.send("重庆城乡居民断缴了怎么补")
        new = chat.messages[before:]
        assert len(new) >= 2 and all(utf16_len(m.plain) <= LIMIT for m in new)
        assert "第0条" in new[0].plain and "第11条" in "".join(m.plain for m in new)
        assert [bool(m.buttons) for m in new] == [False] * (len(new) - 1) + [True]
        assert "💬 微信" in new[-1].labels  # the answer is followed by the channel step
        assert (await bot.store.load(chat.chat_id)).message_id == new[-1].message_id
