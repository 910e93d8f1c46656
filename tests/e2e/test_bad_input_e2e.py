"""Bad input of every kind: nothing raises; everything gets a sensible answer or is ignored by design.

The fake Bot API checks every answer against Telegram's rules (valid HTML, lengths, button data), and
each test ends with no violations and every button press answered.
"""

from __future__ import annotations

import random
import time

import pytest

from bot.adapters.telegram.texts import load_texts
from bot.render import MESSAGES_DIR
from bot.session import STATES
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.fake_bot_model import BOT_USER, user

TEXTS = load_texts(MESSAGES_DIR)
ERROR = "出了点问题"
NOT_UNDERSTOOD = "没看懂"
BOT = BOT_USER["username"]


async def at_province_step(chat: ChatClient) -> None:
    await chat.send("/start")
    await chat.click("城乡居民")


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # 10,000 characters of a how-to-pay question: understood as one, and the wizard goes on
        (("医保缴费怎么办?" * 1300)[:10_000], "我就告诉你具体怎么交"),
        ("🙂🎉👍🏽👨‍👩‍👧‍👦", "👌 好的"),  # only emoji: small talk, a friendly reply
        ("\u200b\u200c\u200d\u2060\ufeff\u202e\u2067", NOT_UNDERSTOOD),  # only zero-width and bidi marks
        ("\u202eمرحبا بالعالم\u202c", NOT_UNDERSTOOD),  # right-to-left text
        ("长\u200b沙", "湖南省长沙市"),  # zero-width space inside a name: still understood
        ("<b>湖南</b>", "已识别"),  # HTML-looking
        ("</a><script>alert(1)</script>&amp;&lt;", NOT_UNDERSTOOD),
        ("*_[长沙](http://example.com)_* `code` ~~x~~", "湖南省长沙市"),  # Markdown-looking
        ("'; DROP TABLE chats; --", NOT_UNDERSTOOD),  # SQL-looking
        ("1 OR 1=1; SELECT * FROM chats", NOT_UNDERSTOOD),
        ("湖\x00南", "湖南省"),  # null byte inside a name (the province button's label, once cleaned)
        ("\x00\x00\x07\x1b[31m", NOT_UNDERSTOOD),  # control characters only
    ],
)
async def test_odd_text_gets_a_sensible_answer(chat: ChatClient, bot, text: str, expect: str) -> None:
    await at_province_step(chat)
    answer = await chat.send(text)
    assert expect in answer.plain and ERROR not in answer.plain and answer.buttons
    assert len(answer.plain) <= 4096
    record = await bot.store.load(chat.chat_id)
    assert record.session.state in STATES and record.rev > 0  # the store is intact
    assert text not in record.session.to_json()  # typed text is never kept


@pytest.mark.parametrize(
    "data",
    [
        "x" * 64,  # 64 bytes of garbage
        "9" * 20 + ":p:430000",  # a version that is no number the bot could have made
        "0:z:anything",  # unknown action
        "0:p:../../etc/passwd",  # value outside the alphabet
        "0:p:" + "A" * 60,  # well formed, too long
        "",  # empty
    ],
)
async def test_forged_callback_data_is_answered_and_changes_nothing(chat: ChatClient, bot, data: str) -> None:
    await at_province_step(chat)
    before = (await bot.store.load(chat.chat_id)).session
    answer = await chat.press(data, chat.wizard)
    assert chat.toast in (TEXTS.toast_invalid, TEXTS.toast_stale) and "你在哪个省份参保" in answer.plain
    assert (await bot.store.load(chat.chat_id)).session == before


async def test_random_bytes_as_callback_data(chat: ChatClient, bot) -> None:
    rng = random.Random(7)
    await at_province_step(chat)
    before = (await bot.store.load(chat.chat_id)).session
    for _ in range(8):
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))).decode("latin-1")
        await chat.press(junk[:64], chat.wizard)
        assert chat.toast == TEXTS.toast_invalid
    assert (await bot.store.load(chat.chat_id)).session == before


async def test_another_users_button_data_acts_only_as_a_tap_this_user_could_make(
    api: FakeBotApi, bot
) -> None:
    alice, bob = ChatClient(api, bot.tracker, 500001), ChatClient(api, bot.tracker, 500002)
    await alice.send("/start")
    await alice.click("城乡居民")
    await bob.send("/start")
    await bob.click("灵活就业人员")
    await bob.click("⬅️ 上一步")  # bob's version is now ahead of alice's
    bobs = bob.wizard.data_for("城乡居民")
    alice_before = (await bot.store.load(alice.chat_id)).session
    await alice.press(bobs, alice.wizard)
    after = (await bot.store.load(alice.chat_id)).session
    assert after == alice_before and alice.toast == TEXTS.toast_stale  # another version: stale


async def test_callback_without_data_is_answered(chat: ChatClient, api: FakeBotApi, bot) -> None:
    await chat.send("/start")
    body = {
        "callback_query": {
            "id": "game1",
            "from": user(chat.chat_id, "小王"),
            "chat_instance": "ci",
            "game_short_name": "nothing",
        }
    }
    update_id = api.push_update(chat.chat_id, body)
    api.offers[update_id].query_id = "game1"
    await bot.tracker.wait(update_id)
    assert api.offers[update_id].answers == 1 and api.offers[update_id].toast == TEXTS.toast_invalid


@pytest.mark.parametrize("command", ["/pay", "/start@another_bot", "/", "/restart_now extra words"])
async def test_unknown_commands_get_the_help(chat: ChatClient, command: str) -> None:
    answer = await chat.send(command)
    assert "使用说明" in answer.plain and ERROR not in answer.plain


async def test_edited_messages_are_ignored(chat: ChatClient, api: FakeBotApi, bot) -> None:
    await at_province_step(chat)
    before = (await bot.store.load(chat.chat_id)).session
    sent = len(chat.messages)
    edited = api.message_body(chat.chat_id, "湖南", edit_date=int(time.time()))
    api.honour_allowed_updates = False  # delivered anyway: the bot must still ignore it
    await bot.tracker.wait(api.push_update(chat.chat_id, {"edited_message": edited}))
    assert len(chat.messages) == sent and (await bot.store.load(chat.chat_id)).session == before
    # ... and Telegram is not even asked for them.
    assert set(api.calls_of("getUpdates")[-1].params["allowed_updates"]) == {
        "message",
        "callback_query",
        "inline_query",
        "my_chat_member",
    }


async def test_channel_posts_are_ignored(api: FakeBotApi, bot) -> None:
    channel = -1001234567890
    post = {
        "message_id": 1,
        "date": int(time.time()),
        "chat": {"id": channel, "type": "channel", "title": "医保资讯"},
        "text": f"@{BOT} 今天交医保",
    }
    api.honour_allowed_updates = False  # delivered anyway: the bot must still ignore it
    await bot.tracker.wait(api.push_update(channel, {"channel_post": post}))
    assert api.chat_messages(channel) == [] and (await bot.store.load(channel)).rev == 0


GROUP = -1009876543210


def _entity(kind: str, text: str, word: str) -> dict:
    return {"type": kind, "offset": text.index(word), "length": len(word)}


@pytest.mark.parametrize(
    ("text", "entity", "answered"),
    [
        ("今天大家交医保了吗", None, False),
        (f"@{BOT} 怎么交医保", ("mention", f"@{BOT}"), True),
        (f"/start@{BOT}", ("bot_command", f"/start@{BOT}"), True),
        ("/start", ("bot_command", "/start"), True),
        ("/start@another_bot", ("bot_command", "/start@another_bot"), False),
        ("@another_bot 你好", ("mention", "@another_bot"), False),
    ],
)
async def test_group_messages_get_a_hint_only_when_addressed(
    api: FakeBotApi, bot, text: str, entity: tuple[str, str] | None, answered: bool
) -> None:
    extra = {"entities": [_entity(entity[0], text, entity[1])]} if entity else {}
    await bot.tracker.wait(api.push_update(GROUP, {"message": api.message_body(GROUP, text, **extra)}))
    replies = api.chat_messages(GROUP)
    assert bool(replies) == answered
    if answered:
        (hint,) = replies
        assert "私聊" in hint.plain and hint.buttons[0]["url"] == f"https://t.me/{BOT}"
    assert (await bot.store.load(GROUP)).rev == 0  # no wizard session for a group


async def test_reply_to_the_bot_in_a_group_is_addressed(api: FakeBotApi, bot) -> None:
    first = f"@{BOT} 在吗"
    body = api.message_body(GROUP, first, entities=[_entity("mention", first, f"@{BOT}")])
    await bot.tracker.wait(api.push_update(GROUP, {"message": body}))
    (hint,) = api.chat_messages(GROUP)
    replied = {
        "message_id": hint.message_id,
        "date": 0,
        "chat": body["chat"],
        "from": BOT_USER,
        "text": hint.plain,
    }
    reply = api.message_body(GROUP, "怎么交", reply_to_message=replied)
    await bot.tracker.wait(api.push_update(GROUP, {"message": reply}))
    assert len(api.chat_messages(GROUP)) == 2


async def test_button_press_in_a_group_is_refused_politely(api: FakeBotApi, bot) -> None:
    first = f"@{BOT} 在吗"
    body = api.message_body(GROUP, first, entities=[_entity("mention", first, f"@{BOT}")])
    await bot.tracker.wait(api.push_update(GROUP, {"message": body}))
    (hint,) = api.chat_messages(GROUP)
    update_id = api.push_callback(GROUP, hint.message_id, "0:p:resident")
    await bot.tracker.wait(update_id)
    assert api.offers[update_id].toast == TEXTS.toast_invalid and (await bot.store.load(GROUP)).rev == 0
