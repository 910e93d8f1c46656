"""Privacy: pasted personal data is refused, neither stored nor logged; /privacy, /forget, retention."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.adapters.telegram.logs import RedactingFormatter
from bot.session import Session
from bot.store.base import ChatRecord
from bot.store.sqlite import SqliteSessionStore
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from tests.e2e.conftest import running_bot

ID_NUMBER = "11010519491231002X"  # the sample number of GB 11643 (valid check digit)
CARD = "4111 1111 1111 1111"  # passes Luhn
PHONE = "13812345678"


def database_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(data_dir.glob("sessions.sqlite3*")))


@pytest.fixture
def debug_log(caplog) -> io.StringIO:
    """Everything logged at DEBUG (PTB logs every update it receives), formatted as the bot does."""
    caplog.set_level(logging.DEBUG)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(RedactingFormatter(logging.Formatter("%(name)s %(message)s"), ["unused-secret"]))
    logging.getLogger().addHandler(handler)
    yield out
    logging.getLogger().removeHandler(handler)


@pytest.mark.parametrize(
    ("text", "secret", "named"),
    [
        (f"我的身份证号是{ID_NUMBER},帮我查一下", ID_NUMBER, "身份证号"),
        (f"卡号 {CARD} 能交吗", CARD, "银行卡号"),
        (f"电话 {PHONE} 长沙", PHONE, "手机号"),
        (f"/start {PHONE}", PHONE, "手机号"),
        # Issue 15: the same numbers as people format them, also where an amount would be read.
        ("身份证 430102 19900307 4515 帮我查", "430102 19900307 4515", "身份证号"),
        ("身份证430102-19900307-4515", "430102-19900307-4515", "身份证号"),
        ("基数430102 19900307 4515每月交多少", "430102 19900307 4515", "身份证号"),
        ("电话 138.1234.5678", "138.1234.5678", "手机号"),
        ("基数138.1234.5678每月交多少", "138.1234.5678", "手机号"),
        ("联系我(138)1234-5678", "(138)1234-5678", "手机号"),
        ("卡号4111.1111.1111.1111", "4111.1111.1111.1111", "银行卡号"),
    ],
)
async def test_personal_data_is_refused_deleted_and_never_stored_or_logged(
    chat: ChatClient, api: FakeBotApi, bot, settings, debug_log, caplog, text: str, secret: str, named: str
) -> None:
    await chat.send("/start")
    await chat.click("城乡居民")
    before = (await bot.store.load(chat.chat_id)).session
    update_id = api.push_text(chat.chat_id, text)
    await bot.tracker.wait(update_id)
    answer = chat.last
    assert named in answer.plain and "已从对话中删除" in answer.plain and "你在哪个省份参保" in answer.plain
    assert secret not in answer.text and answer.buttons
    user_message = api.offers[update_id].body["message"]["message_id"]
    assert (chat.chat_id, user_message) in api.deleted
    assert (await bot.store.load(chat.chat_id)).session == before  # not acted on (长沙 is not taken)
    digits = re.sub(r"[^0-9X]", "", secret)
    for form in {secret, digits, digits[:8], secret.split()[0] if " " in secret else secret}:
        assert form.encode() not in database_bytes(settings.data_dir)
    assert secret in caplog.text  # PTB did log the update at DEBUG level ...
    assert secret not in debug_log.getvalue() and "personal data" in debug_log.getvalue()  # ... redacted
    assert digits not in debug_log.getvalue()


async def test_personal_data_in_a_photo_caption_is_refused(chat: ChatClient, api: FakeBotApi, bot) -> None:
    await chat.send("/start")
    update_id = api.push_message(
        chat.chat_id,
        photo=[{"file_id": "p", "file_unique_id": "u", "width": 9, "height": 9}],
        caption=f"身份证 {ID_NUMBER}",
    )
    await bot.tracker.wait(update_id)
    assert "身份证号" in chat.last.plain


async def test_ordinary_numbers_are_not_mistaken_for_personal_data(chat: ChatClient) -> None:
    await chat.send("/start res-500000-wechat")
    answer = await chat.send("5000")  # a contribution base on the instructions page
    assert "身份证" not in answer.plain and "手机号" not in answer.plain


async def test_privacy_says_what_is_kept_and_for_how_long(
    settings, api: FakeBotApi, wizard, renderer
) -> None:
    async with running_bot(replace(settings, session_retention_days=7), api, wizard, renderer) as bot:
        answer = await ChatClient(api, bot.tracker).send("/privacy")
    assert "超过 7 天没有使用" in answer.plain and "/forget" in answer.plain and "参保身份" in answer.plain


async def test_forget_deletes_everything_kept_about_the_user(
    chat: ChatClient, api: FakeBotApi, bot, settings
) -> None:
    await chat.send("/start")
    await chat.click("城乡居民")
    wizard = await chat.send("湖南")
    trace = b'"province":"430000"'
    assert trace in database_bytes(settings.data_dir)
    bye = await chat.send("/forget")
    assert "已删除" in bye.plain
    assert await bot.store.load(chat.chat_id) == ChatRecord()
    assert api.messages[(chat.chat_id, wizard.message_id)].markup is None  # its buttons are gone
    assert trace not in database_bytes(settings.data_dir)  # overwritten, not just unlinked
    again = await chat.send("/forget")
    assert "没有保存" in again.plain
    assert "第 1/" in (await chat.send("/start")).plain  # starting afresh works


async def test_sessions_past_retention_are_purged_at_start_up(
    settings, api: FakeBotApi, wizard, renderer
) -> None:
    async with SqliteSessionStore(settings.database) as store:
        for chat_id in (1, 2):
            await store.save(chat_id, ChatRecord(Session("province", {"identity": "resident"}, 1), None, 0))
        await store.db.execute(
            "UPDATE chats SET updated_at = ? WHERE chat_id = 1", (time.time() - 31 * 86400,)
        )
    async with running_bot(settings, api, wizard, renderer) as bot:
        for _ in range(100):
            if (await bot.store.load(1)).rev == 0:
                break
            await asyncio.sleep(0.02)
        assert (await bot.store.load(1)).rev == 0 and (await bot.store.load(2)).rev == 1
