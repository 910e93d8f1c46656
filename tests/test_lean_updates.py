"""Updates are built without what the bot never reads: the pressed message's text, formatting and
keyboard (``unreadable.lean_update``), for polling and webhooks alike."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update

from bot.adapters.telegram.unreadable import lean_update


def press(date: int) -> dict[str, Any]:
    chat = {"id": 42, "type": "private", "first_name": "A"}
    return {
        "update_id": 7,
        "callback_query": {
            "id": "1",
            "from": {"id": 42, "is_bot": False, "first_name": "A"},
            "chat_instance": "x",
            "data": "1:pick:430000",
            "message": {
                "message_id": 99,
                "date": date,
                "chat": chat,
                "from": {"id": 1, "is_bot": True, "first_name": "bot"},
                "text": "长页面" * 500,
                "entities": [{"type": "bold", "offset": i, "length": 1} for i in range(50)],
                "reply_markup": {"inline_keyboard": [[{"text": "是", "callback_data": "1:pick:y"}]]},
            },
        },
    }


def test_a_press_keeps_which_message_and_chat_and_drops_its_content() -> None:
    item = press(1_700_000_000)
    lean_update(item)
    update = Update.de_json(item, None)
    query = update.callback_query
    assert query is not None and query.data == "1:pick:430000"
    assert isinstance(query.message, Message)
    assert (query.message.message_id, query.message.chat.id) == (99, 42)
    assert query.message.text is None and query.message.reply_markup is None
    assert update.effective_chat is not None and update.effective_chat.id == 42


def test_an_inaccessible_message_stays_inaccessible_and_other_updates_are_untouched() -> None:
    item = press(0)
    whole = Update.de_json(press(0), None).callback_query
    lean_update(item)
    query = Update.de_json(item, None).callback_query
    assert query is not None and whole is not None and query.message is not None and whole.message is not None
    assert type(query.message) is type(whole.message)
    assert query.message.is_accessible is whole.message.is_accessible is False
    text = {
        "update_id": 8,
        "message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}, "text": "长沙"},
    }
    lean_update(text)
    assert text["message"]["text"] == "长沙"
    for odd in (None, [], {"update_id": 9, "callback_query": "x"}, {"callback_query": {"message": 3}}):
        lean_update(odd)  # never raises: the one-by-one path reports what cannot be built


async def test_sends_and_edits_return_only_which_message_it_is() -> None:
    """Through the loopback fake Bot API: the lean bot's sends and edits give the message id and chat
    (all the bot reads), the bare one the whole message."""
    from bot.adapters.telegram.unreadable import PollingBot
    from bot.testing.fake_bot_api import FakeBotApi

    api = await FakeBotApi().start()
    lean, whole = (PollingBot(api.token, base_url=api.base_url, lean=flag) for flag in (True, False))
    try:
        for bot in (lean, whole):
            await bot.initialize()
        sent = await lean.send_message(42, "<b>长沙</b>", parse_mode="HTML")
        assert sent.message_id and sent.chat.id == 42 and sent.text is None
        edited = await lean.edit_message_text("株洲", chat_id=42, message_id=sent.message_id)
        assert isinstance(edited, Message) and edited.message_id == sent.message_id and edited.text is None
        assert (await whole.send_message(42, "长沙")).text == "长沙"
    finally:
        for bot in (lean, whole):
            await bot.shutdown()
        await api.stop()
