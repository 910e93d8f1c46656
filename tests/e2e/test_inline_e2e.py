"""Inline mode end to end: ``@bot <query>`` answered with instruction cards the fake Bot API checks."""

from __future__ import annotations

import logging

import pytest

from bot.adapters.telegram.inline import CACHE_SECONDS
from bot.adapters.telegram.lifecycle import ALLOWED_UPDATES
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.fake_bot_model import BOT_USER
from tests.e2e.conftest import running_bot

BOT = BOT_USER["username"]


async def test_region_and_channel_offer_a_card_per_identity(chat: ChatClient, api: FakeBotApi) -> None:
    answer = await chat.inline("湖南 微信")
    assert answer.ids == ["flex-430000-wechat", "res-430000-wechat"]
    assert answer.cache_time == CACHE_SECONDS and answer.is_personal is False
    assert answer.button == {"text": "在私聊中打开向导", "start_parameter": "430000-wechat"}
    card = answer.result("flex-430000-wechat")
    assert card["title"] == "微信 · 灵活就业人员 · 湖南省" and "步操作" in card["description"]
    text = answer.text("flex-430000-wechat")
    assert text.startswith("📋 医保缴费指南 · 灵活就业人员 · 湖南省 · 微信")
    assert "操作步骤" in text and "\n1. " in text and "数据来源" in text and "12393" in text
    assert f"来自 @{BOT}" in text
    [[button]] = card["reply_markup"]["inline_keyboard"]
    assert button["url"] == f"https://t.me/{BOT}?start=flex-430000-wechat"
    assert "城乡居民 · 湖南省 · 微信" in answer.text("res-430000-wechat")


async def test_missing_channel_offers_every_channel_of_the_city(chat: ChatClient) -> None:
    answer = await chat.inline("长沙 灵活就业")
    assert answer.ids == [f"flex-430100-{c}" for c in ("wechat", "alipay", "tax", "bank", "hall")]
    assert all("灵活就业人员 · 湖南省长沙市" in answer.text(i) for i in answer.ids)


async def test_region_alone_offers_both_identities_and_all_channels(chat: ChatClient) -> None:
    answer = await chat.inline("上海")
    assert len(answer.ids) == 10 and len(set(answer.ids)) == 10
    assert {i.split("-")[0] for i in answer.ids} == {"flex", "res"}


@pytest.mark.parametrize(
    ("query", "card_id", "title", "payload"),
    [
        ("", "help", "输入参保地和缴费方式，查看缴费指南", "open"),
        ("乱码xyz", "unknown", "没找到参保地，请输入省份或城市", "open"),
        ("灵活就业 微信", "unknown", "没找到参保地，请输入省份或城市", "flex-wechat"),
        ("<b>&amp;</b>" * 20, "unknown", "没找到参保地，请输入省份或城市", "open"),
    ],
)
async def test_empty_or_unknown_query_gets_a_helpful_card(
    chat: ChatClient, query: str, card_id: str, title: str, payload: str
) -> None:
    answer = await chat.inline(query)
    assert answer.ids == [card_id] and answer.result(card_id)["title"] == title
    assert answer.button == {"text": "在私聊中打开向导", "start_parameter": payload}
    assert f"@{BOT} 长沙 微信" in answer.text(card_id)


async def test_switch_button_payloads_open_the_wizard(chat: ChatClient, bot) -> None:
    await chat.send("/start")
    await chat.click("城乡居民")
    kept = await chat.send("/start open")  # the button of an empty query: continue where the chat was
    assert "你在哪个省份参保" in kept.plain and "链接" not in kept.plain
    jumped = await chat.send("/start 430000-wechat")  # the button of "湖南 微信"
    assert "已识别：湖南省 · 微信" in jumped.plain and "你是哪一类参保人" in jumped.plain


async def test_shared_card_in_the_bots_own_chat_is_not_answered(chat: ChatClient, bot) -> None:
    question = "我是城乡居民，在上海，用支付宝交"
    await chat.send(question)
    before = [(m.message_id, m.text) for m in chat.messages]
    session = (await bot.store.load(chat.chat_id)).session
    await chat.inline("长沙 微信")
    await chat.share("flex-430100-wechat")
    assert [(m.message_id, m.text) for m in chat.messages] == before
    assert (await bot.store.load(chat.chat_id)).session == session
    assert "上海市" in (await chat.send(question)).plain  # the chat goes on as before


async def test_the_bot_asks_telegram_for_inline_queries(chat: ChatClient, api: FakeBotApi) -> None:
    await chat.inline("北京 支付宝")
    polls = [c.params.get("allowed_updates") for c in api.calls_of("getUpdates")]
    assert "inline_query" in ALLOWED_UPDATES and all(p is None or "inline_query" in p for p in polls)
    assert not api.filtered


async def test_inline_mode_off_is_reported_at_start_up(
    settings, api: FakeBotApi, wizard, renderer, caplog, monkeypatch
) -> None:
    monkeypatch.setitem(BOT_USER, "supports_inline_queries", False)
    with caplog.at_level(logging.WARNING):
        async with running_bot(settings, api, wizard, renderer):
            pass
    assert any("/setinline" in r.getMessage() for r in caplog.records)


async def test_failure_while_building_cards_answers_with_the_help_card(
    chat: ChatClient, bot, caplog, monkeypatch
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("catalog trouble")

    monkeypatch.setattr("bot.pages.cards.instructions_context", broken)
    answer = await chat.inline("湖南 微信")
    assert answer.ids == ["help"]
    assert any("could not build cards" in r.getMessage() for r in caplog.records)


async def test_many_users_typing_at_once_all_get_answers(api: FakeBotApi, bot) -> None:
    queries = ["湖南 微信", "长沙", "重庆 城乡居民", "", "xyz", "广州 支付宝 灵活就业"] * 4
    ids = [api.push_inline_query(300000 + i, q) for i, q in enumerate(queries)]
    for update_id in ids:
        await bot.tracker.wait(update_id)
    assert all(api.offers[u].inline_id in api.inline_answers for u in ids)
