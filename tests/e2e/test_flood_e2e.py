"""Issue 15, item 1: one chat flooding the bot must not stall everyone else (long polling, defaults).

Before: 300 messages from one chat, then 10 other users send /start: they waited 41 s (the backlog
was full of updates waiting for the flooding chat's turn, and that chat is sent one message a second),
and stopping waited for the whole queue. Now a chat has at most a few updates in flight; the excess
is dropped with one notice (messages) or a toast (button presses).
"""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.adapters.telegram import ordering
from bot.adapters.telegram.texts import load_texts
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from tests.e2e.conftest import running_bot

pytestmark = pytest.mark.unmeasured
FLOODER = 4242
NOTICE = "消息发得太快了"
MESSAGES_PER_CHAT = getattr(ordering, "MESSAGES_PER_CHAT", 5)


async def test_a_flooding_chat_does_not_stall_other_users_and_stop_is_bounded(
    api: FakeBotApi, settings, wizard, renderer
) -> None:
    assert settings.telegram_rate_limit == 30  # the default flood limit is on
    async with running_bot(settings, api, wizard, renderer) as bot:
        for i in range(300):
            api.push_text(FLOODER, f"你好 {i}")
        users = [ChatClient(api, bot.tracker, chat_id=900 + i) for i in range(10)]
        started = time.monotonic()
        await asyncio.wait_for(asyncio.gather(*(u.send("/start") for u in users)), 60)
        waited = time.monotonic() - started
        print(f"10 users behind a 300-message flood answered within {waited:.1f}s")
        assert all(u.last is not None and u.last.buttons for u in users)
        # Answered while the flooding chat had been sent only a few messages (one a second), not after
        # its backlog (before: every one of its 300 updates waited in the backlog ahead of them).
        assert len(api.chat_messages(FLOODER)) < 4 * MESSAGES_PER_CHAT
        stop_started = time.monotonic()
    stopped_in = time.monotonic() - stop_started
    print(f"stopped in {stopped_in:.1f}s")
    sent = api.chat_messages(FLOODER)
    notices = [m for m in sent if NOTICE in m.text]
    assert len(notices) == 1
    assert len(sent) < 4 * MESSAGES_PER_CHAT  # stopping did not work through a backlog of 300
    assert bot.app.update_processor.dropped >= 200


async def test_a_flood_of_button_presses_is_answered_and_bounded(
    api: FakeBotApi, settings, wizard, renderer
) -> None:
    texts = load_texts(settings.messages_dir)
    async with running_bot(settings, api, wizard, renderer) as bot:
        chat = ChatClient(api, bot.tracker, chat_id=FLOODER)
        first = await chat.send("/start")
        assert first is not None
        data = first.data_for("城乡居民")
        for _ in range(400):
            api.push_callback(FLOODER, first.message_id, data)
        other = ChatClient(api, bot.tracker, chat_id=901)
        await asyncio.wait_for(other.send("/start"), 10)
        await api.wait_for(lambda: all(o.answers for o in api.offers.values() if o.query_id), timeout=30)
    toasts = [c for c in api.calls_of("answerCallbackQuery") if c.params.get("text") == texts.toast_flood]
    assert toasts  # the excess got the flood toast; every press was answered (the api fixture checks)
