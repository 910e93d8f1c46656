"""The wizard's sends and edits (``output.post_own_message``) reach the Bot API exactly as python-telegram-bot's
``send_message``, ``edit_message_text`` and ``edit_message_reply_markup`` would send them, through the
bot's real request stack (JSON bodies, defaults, delivery policy), and use the message id Telegram gives
back, without building a ``Message`` from the answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.adapters.telegram.builder import base_builder, shared_tls
from bot.adapters.telegram.output import Presenter
from bot.adapters.telegram.request import JsonBodyRequest
from bot.adapters.telegram.texts import load_texts
from bot.config import Settings
from bot.render import Renderer
from bot.testing.fake_bot_api import FakeBotApi

PTB_CHAT, OURS_CHAT = 42, 43
MARKUP = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("长沙", callback_data="1:pick:430100")],
        [
            InlineKeyboardButton("下一页", callback_data="1:page:2"),
            InlineKeyboardButton("网页", url="https://x.cn"),
        ],
    ]
)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = await FakeBotApi().start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[ExtBot[Any]]:
    """The bot as the app builds it: lean, JSON bodies, HTML and no link previews by default, the delivery
    policy (flood limit on, so requests pass through the pacer too)."""
    settings = Settings(telegram_token=api.token, telegram_base_url=api.base_url, telegram_rate_limit=27)
    request = JsonBodyRequest(connection_pool_size=8, httpx_kwargs=shared_tls())
    built = base_builder(settings, request=request, lean=True).build().bot
    await built.initialize()
    try:
        yield built
    finally:
        await built.shutdown()


@pytest.fixture
def presenter(renderer: Renderer) -> Presenter:
    return Presenter(renderer, load_texts(Path("messages")))


@pytest.fixture
def built_messages(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the ``Message`` objects python-telegram-bot builds from answers."""
    built: list[int] = []
    original = Message.de_json

    def counting(data: Any, bot: Any = None) -> Any:
        built.append(1)
        return original(data, bot)

    monkeypatch.setattr(Message, "de_json", counting)
    return built


def requests(api: FakeBotApi, chat_id: int) -> list[tuple[str, list[tuple[str, Any]]]]:
    """The calls made for ``chat_id``, its chat and message ids left out, parameters in the order sent."""
    out = []
    for call in api.calls:
        if call.params.get("chat_id") in (chat_id, str(chat_id)):
            params = [(k, v) for k, v in call.params.items() if k not in ("chat_id", "message_id")]
            out.append((call.method, params))
    return out


async def test_sends_edits_and_dropped_keyboards_are_the_requests_ptb_makes(
    api: FakeBotApi, bot: ExtBot[Any], presenter: Presenter, built_messages: list[int]
) -> None:
    sent = await bot.send_message(PTB_CHAT, "<b>长沙</b>", reply_markup=MARKUP)
    await bot.send_message(PTB_CHAT, "第二条")
    await bot.edit_message_text(
        "<i>株洲</i>", chat_id=PTB_CHAT, message_id=sent.message_id, reply_markup=MARKUP
    )
    await bot.edit_message_reply_markup(chat_id=PTB_CHAT, message_id=sent.message_id, reply_markup=None)
    await bot.edit_message_text("湘潭", chat_id=PTB_CHAT, message_id=sent.message_id)
    assert len(built_messages) == 5  # PTB builds a Message from each answer

    built_messages.clear()
    first = await presenter.send(bot, OURS_CHAT, ["<b>长沙</b>"], MARKUP)
    await presenter.send(bot, OURS_CHAT, ["第二条"])
    await presenter.edit(bot, OURS_CHAT, first, ["<i>株洲</i>"], MARKUP)
    await presenter.drop_keyboard(bot, OURS_CHAT, first)
    await presenter.edit(bot, OURS_CHAT, first, ["湘潭"], None)
    assert built_messages == []

    ours = requests(api, OURS_CHAT)
    assert [method for method, _ in ours] == [
        "sendMessage", "sendMessage", "editMessageText", "editMessageReplyMarkup", "editMessageText",
    ]  # fmt: skip
    assert ours == requests(api, PTB_CHAT)
    assert dict(ours[0][1])["parse_mode"] == "HTML"  # the bot's defaults were filled in
    assert dict(ours[0][1])["link_preview_options"] == {"is_disabled": True}
    assert api.violations == []


async def test_the_message_id_telegram_gives_is_the_one_used(
    api: FakeBotApi, bot: ExtBot[Any], presenter: Presenter
) -> None:
    chat = OURS_CHAT
    last = await presenter.send(bot, chat, ["一", "二", "三"], MARKUP)
    ids = [m.message_id for m in api.chat_messages(chat)]
    assert last == ids[-1] and len(set(ids)) == 3
    assert api.chat_messages(chat)[-1].markup and not api.chat_messages(chat)[0].markup

    assert await presenter.edit(bot, chat, last, ["改"], MARKUP) == last  # edited in place
    assert await presenter.edit(bot, chat, last, ["改"], MARKUP) == last  # "not modified" is success
    two = await presenter.edit(bot, chat, last, ["前", "后"], MARKUP)  # the rest follows in a new message
    assert two == api.chat_messages(chat)[-1].message_id != last

    api.too_old.add((chat, two))
    anew = await presenter.edit(bot, chat, two, ["新"], MARKUP)  # can no longer be edited: sent anew
    assert anew == api.chat_messages(chat)[-1].message_id not in (two, last)

    with pytest.raises(BadRequest):
        await presenter.send(bot, chat, ["<b>未闭合"])  # Telegram's errors reach the caller as before
    await presenter.drop_keyboard(bot, chat, 999)  # gone: best effort, no error
    assert api.messages[(chat, anew)].markup is not None
    await presenter.drop_keyboard(bot, chat, anew)
    assert api.messages[(chat, anew)].markup is None
