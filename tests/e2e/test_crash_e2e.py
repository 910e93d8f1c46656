"""``python -m bot`` killed with SIGKILL at random moments while many chats are busy: on restart nothing
that was shown to a user is lost, nothing is corrupted, and everyone continues.

Every answer the bot sends carries the session version in its buttons and is sent only after the step
was committed to SQLite (WAL), so "nothing shown was lost" means: for every chat, the stored version is
at least the highest version any of its messages shows.
"""

from __future__ import annotations

import asyncio
import json
import random
import signal
import sqlite3
from pathlib import Path

import pytest

from bot.session import STATES, Session
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from tests.e2e.test_process_e2e import start_bot

pytestmark = pytest.mark.unmeasured
SCRIPT = ["/start", "城乡居民", "湖南", "长沙", "微信", "/restart", "灵活就业", "广东", "深圳", "支付宝"]


def stored(data_dir: Path) -> dict[int, Session]:
    """Every session in the database, checked for corruption on the way."""
    with sqlite3.connect(data_dir / "sessions.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT chat_id, session FROM chats").fetchall()
    db.close()
    sessions = {}
    for chat_id, text in rows:
        session = Session.from_json(text)
        assert session.state in STATES and session.to_json() == json.dumps(
            json.loads(text), ensure_ascii=False, separators=(",", ":")
        )
        sessions[chat_id] = session
    return sessions


def shown_version(api: FakeBotApi, chat_id: int) -> int:
    """The highest session version in the buttons of any message the chat was shown."""
    versions = [
        int(b["callback_data"].split(":")[0])
        for m in api.chat_messages(chat_id)
        for b in m.buttons
        if "callback_data" in b  # copy-text buttons carry none
    ]
    return max(versions, default=0)


async def test_kill_9_at_random_moments_loses_nothing_shown_and_corrupts_nothing(tmp_path: Path) -> None:
    api = await FakeBotApi().start()  # not the shared fixture: updates in flight at a kill stay unanswered
    rng = random.Random(20)
    data, log = tmp_path / "data", tmp_path / "bot.log"
    chats = [ChatClient(api, chat_id=600001 + i) for i in range(6)]
    try:
        for _round in range(3):
            proc = await start_bot(api, data, log, TELEGRAM_RATE_LIMIT="0")  # as fast as it goes
            for chat in chats:
                for text in SCRIPT:
                    api.push_text(chat.chat_id, text)
            await asyncio.sleep(rng.uniform(0.05, 0.8))  # mid-burst: handlers are loading, saving, sending
            proc.kill()
            await proc.wait()
            api.abandon_pending()  # fetched and confirmed, but the process died with them
            sessions = stored(data)
            for chat in chats:
                assert sessions.get(chat.chat_id, Session()).version >= shown_version(api, chat.chat_id)
        proc = await start_bot(api, data, log, TELEGRAM_RATE_LIMIT="0")
        try:
            # Updates still queued at Telegram (never fetched) are delivered after the restart.
            await api.wait_for(lambda: not api.undelivered() and not api._queue, timeout=30)
            for chat in chats:  # everyone continues from where the database says they are
                answer = await chat.send("/start")
                assert answer.buttons and "出了点问题" not in answer.plain
                assert stored(data).get(chat.chat_id, Session()).version >= shown_version(api, chat.chat_id)
                first = next(
                    b["text"] for b in chat.wizard.buttons if "callback_data" in b
                )  # not a copy button
                tapped = await chat.click(first)
                assert chat.toast is None and "出了点问题" not in tapped.plain
        finally:
            proc.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(proc.wait(), 30) == 0
        assert api.violations == []
    finally:
        await api.stop()
