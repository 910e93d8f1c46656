"""The bot on a Redis session store: polling works the same, and Redis failures are handled clearly."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path

from bot.adapters.telegram.app import build_app
from bot.adapters.telegram.polling import serve
from bot.adapters.telegram.webhook import serve_webhook
from bot.config import Settings
from bot.runtime import WizardHolder
from bot.store.factory import make_gate, make_store
from bot.store.redis import RedisSessionStore
from bot.testing.bot_client import ChatClient, UpdateTracker
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.redis_server import RedisServer, free_port
from tests.e2e.test_webhook_e2e import SECRET, webhook_bot
from tests.helpers.webhook_client import WebhookChat, get_json, post_update


async def test_polling_conversation_with_sessions_in_redis(
    settings: Settings, api: FakeBotApi, wizard, renderer, redis_url: str
) -> None:
    url = redis_url.rsplit("/", 1)[0] + "/2"
    store = RedisSessionStore(url, prefix="poll-e2e:")
    app = build_app(replace(settings, session_store=url), WizardHolder(wizard), renderer, store)
    chat = ChatClient(api, UpdateTracker.attach(app), chat_id=8101)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, stop, poll_timeout=1, startup_window=0))
    try:
        await chat.send("/start")
        await chat.click("城乡居民")
        page = await chat.send("重庆")
        assert "🔷 支付宝" in page.labels
        async with RedisSessionStore(url, prefix="poll-e2e:") as other:  # as another instance sees it
            session = (await other.load(8101)).session
        assert session.slots == {"identity": "resident", "province": "500000"} and session.state == "channel"
    finally:
        stop.set()
        assert await task == 0


async def test_redis_going_away_gives_500_and_unhealthy_then_recovers(
    settings: Settings, api: FakeBotApi, wizard, renderer, tmp_path: Path
) -> None:
    server = RedisServer(tmp_path).start()
    try:
        async with webhook_bot(replace(settings, session_store=server.url), wizard, renderer) as bot:
            chat = WebhookChat(api, [bot.url], SECRET, chat_id=8102)
            await chat.send("/start")
            port = server.port
            server.stop()
            uid = api.push_callback(8102, chat.wizard.message_id, chat.wizard.data_for("灵活就业人员"))
            body = api.take(uid)
            assert await post_update(bot.url, body, SECRET) == 500  # not acknowledged: Telegram retries
            status, health = await get_json(bot.health)
            assert status == 503 and health["status"] == "store unavailable"
            server.port = port
            server.start_on_port()
            assert await post_update(bot.url, body, SECRET) == 200  # the retry goes through
            assert "你在哪个省份参保" in chat.last.plain
            assert (await get_json(bot.health))[0] == 200
    finally:
        server.stop()


async def test_unreachable_redis_at_start_up_exits_1(settings: Settings, wizard, renderer, caplog) -> None:
    broken = replace(
        settings, bot_mode="webhook", webhook_secret=SECRET, webhook_port=0,
        session_store=f"redis://127.0.0.1:{free_port()}/0",
    )  # fmt: skip
    store = make_store(broken)
    app = build_app(broken, WizardHolder(wizard), renderer, store)
    with caplog.at_level(logging.ERROR):
        code = await asyncio.wait_for(serve_webhook(app, make_gate(store), broken, asyncio.Event()), 30)
    assert code == 1 and "cannot reach Redis" in caplog.text
