"""Issue 15, item 5: SQLite damage is noticed, said clearly, and costs users as little as possible.

Before: database files deleted while running meant every session silently gone at the next start;
a few corrupted pages meant the users concerned got "系统暂时繁忙" for ever, even after a restart.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import pytest

from bot.session import Session
from bot.store.base import ChatRecord
from bot.store.sqlite import SqliteSessionStore
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from tests.e2e.conftest import running_bot

pytestmark = pytest.mark.unmeasured
BUSY = "系统暂时繁忙"
SORRY = "进度记录损坏"
CHANNEL_STEP = Session(state="channel", slots={"identity": "resident", "province": "500000"}, version=3)


async def test_database_deleted_while_running_is_noticed_and_written_back(
    api: FakeBotApi, settings, wizard, renderer, caplog
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(settings, api, wizard, renderer) as bot:
        chat = ChatClient(api, bot.tracker, chat_id=5501)
        await chat.send("/start")
        await chat.click("城乡居民")
        for f in settings.data_dir.glob("sessions.sqlite3*"):
            f.unlink()  # an operator's clean-up gone wrong
        await asyncio.sleep(1.1)
        await chat.send("重庆")  # the next write notices
    assert "was deleted while the bot was running" in caplog.text
    async with running_bot(settings, api, wizard, renderer) as bot:  # the next start
        session = (await bot.store.load(5501)).session
        assert session.slots == {"identity": "resident", "province": "500000"}


def _corrupt_middle_page(path: Path) -> None:
    size = path.stat().st_size
    page = 4096
    with path.open("r+b") as f:
        f.seek((size // page // 2) * page)
        f.write(os.urandom(page))


async def test_corrupted_pages_reset_only_the_users_concerned_with_an_apology(
    api: FakeBotApi, settings, wizard, renderer, caplog
) -> None:
    async with SqliteSessionStore(settings.database) as store:
        for chat_id in range(10_000, 12_000):
            await store.save(chat_id, ChatRecord(CHANNEL_STEP))
    _corrupt_middle_page(settings.database)
    caplog.set_level(logging.INFO)
    async with running_bot(settings, api, wizard, renderer) as bot:
        assert "is damaged" in caplog.text and "salvaged" in caplog.text
        lost = sorted(bot.store._reset)
        assert lost, "the corrupted page held no rows"
        kept = next(c for c in range(10_000, 12_000) if c not in lost)
        assert len(lost) < 500
        # A user whose row was on the damaged page: one apology, then a normal start.
        victim = ChatClient(api, bot.tracker, chat_id=lost[0])
        first = await victim.send("你好")
        assert first is not None and SORRY in first.plain and BUSY not in first.plain
        again = await victim.send("/start")
        assert again is not None and again.buttons and SORRY not in again.plain
        # Everyone else continues where they were.
        other = ChatClient(api, bot.tracker, chat_id=kept)
        shown = await other.send("/start")
        assert shown is not None and "支付宝" in " ".join(shown.labels)
    async with running_bot(settings, api, wizard, renderer) as bot:  # after a restart: healthy
        assert (await bot.store.load(kept)).session.slots == CHANNEL_STEP.slots
    assert list(settings.data_dir.glob("sessions.sqlite3.damaged-*"))
