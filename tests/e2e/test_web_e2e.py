"""The web guide and the Mini App with the real Application: the share button, the menu button, a
choice saved in the Mini App continuing in the chat, and the pages served by the webhook server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time
from dataclasses import replace
from pathlib import Path

import aiohttp

from bot.adapters.telegram.app import build_app
from bot.adapters.telegram.webapp import chat_notifier
from bot.adapters.telegram.webhook import WebhookServer, serve_webhook
from bot.adapters.web.initdata import sign
from bot.adapters.web.server import build_routes
from bot.config import Settings
from bot.render import Renderer
from bot.runtime import WizardHolder
from bot.store.factory import make_gate, make_store
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.wizard import Wizard
from tests.e2e.conftest import RunningBot, running_bot
from tests.helpers.web_server import serving

BASE = "https://bot.example.com"
ROOT = Path(__file__).resolve().parents[2]


def init_data(user: int, token: str) -> str:
    return sign({"user": json.dumps({"id": user}), "auth_date": str(int(time.time()))}, token)


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as r:
        return r.status, await r.text()


async def test_guide_has_a_share_button_to_its_web_page(
    settings: Settings, api: FakeBotApi, wizard: Wizard, renderer: Renderer
) -> None:
    settings = replace(settings, web_base_url=BASE)
    async with running_bot(settings, api, wizard, renderer) as b:
        chat = ChatClient(api, b.tracker)
        guide = await chat.send("/start flex-430100-wechat")
        assert guide is not None
        share = [x for x in guide.buttons if "url" in x]
        assert share == [{"text": "🔗 分享给家人", "url": f"{BASE}/g/flex-430100-wechat"}]
        calc = await chat.click("🧮 算一算要交多少")  # follow-ups share the guide too
        assert calc is not None and [x for x in calc.buttons if "url" in x] == share
        await chat.click("📋 返回缴费指南")
        step = await chat.click("🔁 换个缴费渠道")  # not a guide: nothing to share
        assert step is not None and not [x for x in step.buttons if "url" in x]
        # The address works: the same guide on the web.
        routes = build_routes(b.holder, renderer, None, settings)
        async with serving(routes) as url:
            status, body = await get(url + "/g/flex-430100-wechat")
        assert status == 200 and "灵活就业人员 · 湖南省长沙市 · 微信" in body
    assert api.menu_button == {"type": "web_app", "text": "打开向导", "web_app": {"url": f"{BASE}/app"}}


async def test_without_web_base_url_no_share_button_and_the_default_menu(
    chat: ChatClient, api: FakeBotApi
) -> None:
    guide = await chat.send("/start res-500000-alipay")
    assert guide is not None and guide.buttons and not [x for x in guide.buttons if "url" in x]
    assert api.menu_button == {"type": "default"}
    assert api.calls_of("setChatMenuButton") == []  # already the default: nothing to change


async def test_mini_app_choice_continues_in_the_chat(
    settings: Settings, api: FakeBotApi, bot: RunningBot, chat: ChatClient, renderer: Renderer
) -> None:
    first = await chat.send("/start")
    assert first is not None and "你是哪一类参保人" in first.plain
    routes = build_routes(bot.holder, renderer, bot.store, settings, notify=chat_notifier(bot.app))
    async with serving(routes) as url, aiohttp.ClientSession() as http:
        body = {"initData": init_data(chat.chat_id, api.token), "payload": "res-430100-wechat"}
        async with http.post(url + "/app/api/choice", json=body) as r:
            assert (r.status, await r.json()) == (200, {"status": "ok"})
        forged = {"initData": init_data(chat.chat_id, "1:forged"), "payload": "flex-310000-tax"}
        async with http.post(url + "/app/api/choice", json=forged) as r:
            assert r.status == 403
    await api.wait_for(lambda: len(chat.messages) == 2)
    shown = chat.messages[-1]
    assert "缴费指南 · 城乡居民 · 湖南省长沙市 · 微信" in shown.plain
    # The chat goes on from there: a follow-up works, and the old message's buttons are stale.
    answer = await chat.click("⏱ 什么时候生效", shown)
    assert answer is not None and "什么时候生效" in answer.plain
    await chat.click("灵活就业人员", first)
    assert chat.toast == "这个按钮已过期，已为你显示当前步骤。"


async def test_webhook_server_serves_the_web_pages(
    settings: Settings, api: FakeBotApi, wizard: Wizard, renderer: Renderer
) -> None:
    settings = replace(
        settings, bot_mode="webhook", webhook_secret="s3cret", webhook_port=0, webhook_url=f"{BASE}/telegram"
    )
    store = make_store(settings)
    holder = WizardHolder(wizard)
    app = build_app(settings, holder, renderer, store)
    web = build_routes(holder, renderer, store, settings, notify=chat_notifier(app))
    ready: asyncio.Future[WebhookServer] = asyncio.get_running_loop().create_future()

    async def on_ready(server: WebhookServer) -> None:
        ready.set_result(server)

    stop = asyncio.Event()
    task = asyncio.create_task(serve_webhook(app, make_gate(store), settings, stop, on_ready, pages=web))
    server = await asyncio.wait_for(ready, 30)
    base = f"http://127.0.0.1:{server.port}"
    try:
        status, body = await get(base + "/g/res-430100-wechat")
        assert status == 200 and "城乡居民 · 湖南省长沙市 · 微信" in body
        assert f"https://t.me/{app.bot.username}?start=res-430100-wechat" in body  # open it in the chat
        status, body = await get(base + "/healthz")  # the webhook's own health check
        assert status == 200 and json.loads(body)["status"] == "ok" and "in_flight" in json.loads(body)
        assert (await get(base + "/nothing-here"))[0] == 404
        async with aiohttp.ClientSession() as http, http.post(base + "/telegram", json={}) as r:
            assert r.status == 403  # updates still need the secret
    finally:
        stop.set()
        assert await task == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _start_web(tmp_path: Path, port: int) -> asyncio.subprocess.Process:
    env = {**os.environ, "WEB_PORT": str(port), "WEB_LISTEN": "127.0.0.1", "BOT_DATA_DIR": str(tmp_path)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    with (tmp_path / "web.log").open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "web", cwd=ROOT, env=env, stdin=asyncio.subprocess.DEVNULL,
            stdout=out, stderr=out,
        )  # fmt: skip


async def test_python_m_bot_web_serves_until_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    proc = await _start_web(tmp_path, port)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                status, body = await get(base + "/healthz")
                break
            except aiohttp.ClientConnectionError:
                assert proc.returncode is None, (tmp_path / "web.log").read_text()
                await asyncio.sleep(0.1)
        assert status == 200 and json.loads(body)["status"] == "ok"
        assert (await get(base + "/g/res-430100-wechat"))[0] == 200
        # A second one on the same port says so and exits 1.
        second = await _start_web(tmp_path, port)
        assert await asyncio.wait_for(second.wait(), 60) == 1
        assert "cannot serve the web pages" in (tmp_path / "web.log").read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
