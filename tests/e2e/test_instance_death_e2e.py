"""Issue 15, item 3: webhook + Redis, one of two ``python -m bot`` processes killed mid-update.

Instance ``a`` takes updates of four chats and sends its answers, but never hears back from the Bot
API (the fake holds its replies) and is killed with SIGKILL while holding the four chats' turns.
Telegram then delivers the four updates again, to ``b``. Before: ``b`` waited for the dead instance's
locks until their 60 s expiry, with all its processing slots waiting on them (an unrelated chat
waited ~59 s), then answered the four users a second time. Now: the turns expire within seconds, waiting
for them holds no slot, and an update whose answer already left is not answered again.
"""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest
from aiohttp import web

from bot.testing.fake_bot_api import FakeBotApi
from tests.e2e.test_multi_instance_e2e import SECRET, start_instance, store_url  # noqa: F401 - fixture
from tests.helpers.webhook_client import WebhookChat, post_update

pytestmark = pytest.mark.unmeasured
CHATS = [8801, 8802, 8803, 8804]


class DeafApi(FakeBotApi):
    """Carries out every call, but never replies to instance ``a``'s sendMessage: the message reached
    the user, the instance does not know it (as when it dies right after sending)."""

    def __init__(self) -> None:
        super().__init__()
        self.never = asyncio.Event()

    async def _handle(self, request: web.Request) -> web.Response:
        response = await super()._handle(request)
        if request.path.startswith("/i/a/") and request.path.endswith("/sendMessage"):
            await self.never.wait()
        return response


async def test_an_instance_killed_mid_update_frees_its_chats_within_seconds_and_is_not_repeated(
    store_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    api = await DeafApi().start()
    a = b = None
    try:
        a, b = await asyncio.gather(
            start_instance("a", api, store_url, tmp_path, flag=True),
            start_instance("b", api, store_url, tmp_path, flag=True),
        )
        bodies = {chat: api.take(api.push_text(chat, "/start")) for chat in CHATS}
        on_a = [asyncio.create_task(post_update(a.url, body, SECRET)) for body in bodies.values()]
        await api.wait_for(lambda: all(api.chat_messages(c) for c in CHATS), timeout=30)  # answers left
        a.proc.send_signal(signal.SIGKILL)
        await a.proc.wait()
        await asyncio.gather(*on_a, return_exceptions=True)  # connections reset: Telegram will retry

        started = time.monotonic()
        again = [asyncio.create_task(post_update(b.url, body, SECRET)) for body in bodies.values()]
        await asyncio.sleep(0.2)  # the redeliveries are waiting for the dead instance's turns
        other = WebhookChat(api, [b.url], SECRET, chat_id=8899)
        await asyncio.wait_for(other.send("/start"), 70)
        other_waited = time.monotonic() - started
        # Answered while the redeliveries still wait for the dead instance's turns: they hold no slot.
        waiting_still = sum(not t.done() for t in again)
        # The dead instance's turns expire within seconds (before: 60 s); this bound only guards a hang.
        statuses = await asyncio.wait_for(asyncio.gather(*again), 30)
        redelivered_in = time.monotonic() - started
        print(
            f"unrelated chat answered after {other_waited:.1f}s; redeliveries done after {redelivered_in:.1f}s"
        )
        assert other.statuses == [200] and other.last is not None and other.last.buttons
        assert waiting_still == len(CHATS)
        assert statuses == [200] * len(CHATS)
        for chat in CHATS:
            assert len(api.chat_messages(chat)) == 1, f"chat {chat} got its answer twice"
    finally:
        api.never.set()
        for i in (a, b):
            if i is not None and i.proc.returncode is None:
                i.proc.send_signal(signal.SIGTERM)
                await asyncio.wait_for(i.proc.wait(), 60)
        await api.stop()
