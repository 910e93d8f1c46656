"""Issue 15, item 6 (webhook side): malformed bodies, a drain bound that holds, a Redis that restarted."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.adapters.telegram import webhook
from bot.config import Settings
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.redis_server import RedisServer
from tests.e2e.test_webhook_e2e import SECRET, WebhookBot, webhook_bot
from tests.helpers.webhook_client import WebhookChat, get_json, post_update

pytestmark = pytest.mark.unmeasured


@pytest.fixture
async def hook(settings: Settings, wizard, renderer):
    async with webhook_bot(settings, wizard, renderer) as bot:
        yield bot


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,  # deep JSON: the parser's recursion limit
        '{"update_id": 1, "message": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"update_id": 5, "message": {"message_id": "x", "chat": 3}}',
        '{"update_id": 6, "callback_query": []}',
        "\udcff" if False else "\xff\xfe",  # not UTF-8 JSON
        "1e999999",
        "null",
        '"text"',
    ],
    ids=[
        "deep-array",
        "deep-in-update",
        "wrong-types",
        "callback-list",
        "bytes",
        "huge-number",
        "null",
        "string",
    ],
)
async def test_any_malformed_body_gets_400_and_the_bot_goes_on(
    hook: WebhookBot, api: FakeBotApi, body: str, caplog
) -> None:
    assert await post_update(hook.url, body, SECRET) == 400
    assert "Traceback" not in caplog.text
    chat = WebhookChat(api, [hook.url], SECRET, chat_id=7101)
    await chat.send("/start")
    assert chat.statuses == [200] and chat.last is not None and chat.last.buttons


async def _half_open(port: int, n: int) -> list[asyncio.StreamWriter]:
    """``n`` connections that send the headers of an update and then nothing (a slow or dead client)."""
    head = (
        f"POST /tg/hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: 1000\r\n\r\n{{"
    ).encode()
    writers = []
    for _ in range(n):
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(head)
        await writer.drain()
        writers.append(writer)
    await asyncio.sleep(0.2)
    return writers


async def test_stopping_with_half_open_requests_stays_within_the_drain_bound(
    settings: Settings, wizard, renderer, monkeypatch
) -> None:
    monkeypatch.setattr(webhook, "DRAIN_TIMEOUT", 4.0)  # the bound (20 s in production), shortened
    socks: list[asyncio.StreamWriter] = []
    try:
        async with webhook_bot(settings, wizard, renderer) as bot:
            socks = await _half_open(bot.server.port, 200)
            started = time.monotonic()
        took = time.monotonic() - started
    finally:
        for s in socks:
            s.close()
    print(f"drained with 200 half-open requests in {took:.1f}s")
    assert took < 4.0 + 2.0, f"stopping took {took:.1f}s, past the drain bound"


async def test_the_first_update_after_a_redis_restart_is_processed(
    settings: Settings, api: FakeBotApi, wizard, renderer, tmp_path: Path
) -> None:
    server = RedisServer(tmp_path).start()
    try:
        async with webhook_bot(replace(settings, session_store=server.url), wizard, renderer) as bot:
            chat = WebhookChat(api, [bot.url], SECRET, chat_id=7102)
            await chat.send("/start")
            port = server.port
            server.stop()
            server.port = port
            server.start_on_port()  # came back (empty): every pooled connection is stale
            await chat.send("/start")
            assert chat.statuses == [200, 200]
            assert chat.last is not None and chat.last.buttons
            assert (await get_json(bot.health))[0] == 200
    finally:
        server.stop()
