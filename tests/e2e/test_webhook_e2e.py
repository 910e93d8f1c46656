"""Webhook mode in this process: secret header, /healthz, duplicates, graceful shutdown, setWebhook."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import pytest

from bot.adapters.telegram.app import build_app
from bot.adapters.telegram.lifecycle import ALLOWED_UPDATES
from bot.adapters.telegram.webhook import WebhookServer, serve_webhook, webhook_path
from bot.config import Settings
from bot.runtime import WizardHolder
from bot.store.factory import make_gate, make_store
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.fake_bot_model import Call
from tests.helpers.webhook_client import WebhookChat, get_json, post_update

SECRET = "s3cret_Token-for-tests"
URL = "https://bot.example.com/tg/hook"


@dataclass
class WebhookBot:
    server: WebhookServer
    stop: asyncio.Event
    task: asyncio.Task[int]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}{self.server.path}"

    @property
    def health(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/healthz"


@asynccontextmanager
async def webhook_bot(settings: Settings, wizard, renderer) -> AsyncIterator[WebhookBot]:
    """The real Application behind the webhook server on a free port; stopped (and drained) after."""
    settings = replace(settings, bot_mode="webhook", webhook_url=URL, webhook_secret=SECRET, webhook_port=0)
    store = make_store(settings)
    app = build_app(settings, WizardHolder(wizard), renderer, store)
    ready: asyncio.Future[WebhookServer] = asyncio.get_running_loop().create_future()

    async def on_ready(server: WebhookServer) -> None:
        ready.set_result(server)

    stop = asyncio.Event()
    task = asyncio.create_task(serve_webhook(app, make_gate(store), settings, stop, on_ready))
    done, _ = await asyncio.wait([ready, task], return_when=asyncio.FIRST_COMPLETED)
    assert ready in done, f"webhook bot stopped at start-up with exit code {task.result()}"
    bot = WebhookBot(ready.result(), stop, task)
    try:
        yield bot
    finally:
        stop.set()
        assert await task == 0


@pytest.fixture
async def hook(settings: Settings, wizard, renderer) -> AsyncIterator[WebhookBot]:
    async with webhook_bot(settings, wizard, renderer) as bot:
        yield bot


def test_path_comes_from_the_webhook_url() -> None:
    assert webhook_path(URL) == "/tg/hook"
    assert webhook_path("https://bot.example.com") == webhook_path("") == "/telegram"


async def test_start_up_sets_the_webhook_and_never_polls(hook: WebhookBot, api: FakeBotApi) -> None:
    (call,) = api.calls_of("setWebhook")
    assert call.params["url"] == URL and call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == list(ALLOWED_UPDATES)
    assert api.calls_of("getUpdates") == []
    assert await get_json(hook.health) == (200, {"status": "ok", "in_flight": 0, "processed": 0})


async def test_conversation_over_webhook(hook: WebhookBot, api: FakeBotApi) -> None:
    chat = WebhookChat(api, [hook.url], SECRET, chat_id=5001)
    start = await chat.send("/start")  # the answer to the POST came after the bot's reply
    assert "第 1/" in start.plain
    await chat.click("城乡居民")
    page = await chat.send("重庆")
    assert "重庆市" in page.plain and "🔷 支付宝" in page.labels
    final = await chat.click("🔷 支付宝")
    assert "缴费指南" in final.plain and "城乡居民 · 重庆市 · 支付宝" in final.plain
    assert chat.statuses == [200] * 4 and hook.server.processed == 4


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
async def test_wrong_or_missing_secret_is_refused_and_not_processed(
    hook: WebhookBot, api: FakeBotApi, secret: str | None
) -> None:
    uid = api.push_text(5002, "/start")
    assert await post_update(hook.url, api.take(uid), secret) == 403
    assert api.chat_messages(5002) == [] and hook.server.processed == 0


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '{"no_update_id": 1}'])
async def test_garbage_is_refused(hook: WebhookBot, api: FakeBotApi, body: str) -> None:
    assert await post_update(hook.url, body, SECRET) == 400
    assert await get_json(hook.health) == (200, {"status": "ok", "in_flight": 0, "processed": 0})


async def test_a_redelivered_update_is_acknowledged_once_answered_once(
    hook: WebhookBot, api: FakeBotApi
) -> None:
    uid = api.push_text(5003, "/start")
    body = api.take(uid)
    assert await post_update(hook.url, body, SECRET) == 200
    assert await post_update(hook.url, body, SECRET) == 200  # Telegram retried: the answer got lost
    assert len(api.chat_messages(5003)) == 1 and len(api.calls_of("sendMessage")) == 1
    assert hook.server.processed == 1 and hook.server.duplicates == 1


class HoldingApi(FakeBotApi):
    """Holds every sendMessage until :attr:`release` is set, so a test can act while an update is in
    flight (no sleeps, no timing)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def _fault(self, method: str, p: dict[str, Any], call: Call) -> None:
        if method == "sendMessage":
            await self.release.wait()
        await super()._fault(method, p, call)


async def test_shutdown_finishes_the_update_in_flight_and_refuses_new_ones(
    tmp_path, wizard, renderer
) -> None:
    api = await HoldingApi().start()
    try:
        settings = Settings(telegram_token=api.token, telegram_base_url=api.base_url, data_dir=tmp_path)
        async with webhook_bot(settings, wizard, renderer) as bot:
            in_flight = asyncio.create_task(
                post_update(bot.url, api.take(api.push_text(6001, "/start")), SECRET)
            )
            await api.wait_for(lambda: bool(api.calls_of("sendMessage")))  # the bot is answering it
            bot.stop.set()  # SIGTERM
            for _ in range(1000):  # the serving task notices the stop on its next turn of the loop
                if bot.server.draining:
                    break
                await asyncio.sleep(0.001)
            status, body = await get_json(bot.health)
            assert status == 503 and body["status"] == "draining" and body["in_flight"] == 1
            late = api.push_text(6002, "/start")
            assert await post_update(bot.url, api.take(late), SECRET) == 503  # Telegram will retry it
            assert not bot.task.done()
            api.release.set()
            assert await in_flight == 200  # finished and acknowledged, not cut off
            assert "第 1/" in api.chat_messages(6001)[0].plain and api.chat_messages(6002) == []
    finally:
        await api.stop()
    assert api.problems() == []


async def test_port_in_use_is_reported(
    settings: Settings, hook: WebhookBot, wizard, renderer, caplog
) -> None:
    taken = replace(settings, bot_mode="webhook", webhook_secret=SECRET, webhook_port=hook.server.port)
    store = make_store(replace(taken, data_dir=settings.data_dir / "other"))
    app = build_app(taken, WizardHolder(wizard), renderer, store)
    code = await asyncio.wait_for(serve_webhook(app, make_gate(store), taken, asyncio.Event()), 30)
    assert code == 1 and "cannot start the webhook server" in caplog.text
