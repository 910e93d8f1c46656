"""Two ``python -m bot --webhook`` processes sharing one Redis behave as one bot for every chat.

Each chat's updates are posted alternately to the two instances (as a load balancer would), the next
one after the previous answer (as Telegram does). The fake Bot API records which instance made each call.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from bot.session import Session
from bot.store.redis import RedisSessionStore
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.redis_server import free_port
from tests.helpers.webhook_client import WebhookChat, get_json, post_update

ROOT = Path(__file__).resolve().parents[2]
SECRET = "multi_instance-secret"
NAMES = ("a", "b")


@dataclass
class Instance:
    name: str
    port: int
    proc: asyncio.subprocess.Process
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram"


async def start_instance(name: str, api: FakeBotApi, store_url: str, tmp: Path, flag: bool) -> Instance:
    """``python -m bot --webhook`` (or BOT_MODE=webhook) on a free port; waits until /healthz says ok."""
    port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_BASE_URL": api.base_url_for(name),
        "SESSION_STORE": store_url,
        "WEBHOOK_URL": "https://bot.example.com/telegram",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": SECRET,
        "BOT_DATA_DIR": str(tmp / f"data-{name}"),
        "LOG_LEVEL": "INFO",
    }
    args = ["-m", "bot"]
    if flag:
        args.append("--webhook")
    else:
        env["BOT_MODE"] = "webhook"
    log = tmp / f"bot-{name}.log"
    with log.open("ab") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=ROOT, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out
        )
    instance = Instance(name, port, proc, log)
    for _ in range(600):  # start-up (imports, catalog) takes a second or two; give up after a minute
        if proc.returncode is not None:
            raise AssertionError(f"instance {name} exited with {proc.returncode}:\n{log.read_text('utf-8')}")
        try:
            if (await get_json(f"http://127.0.0.1:{port}/healthz"))[0] == 200:
                return instance
        except OSError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"instance {name} did not become healthy:\n{log.read_text('utf-8')}")


@pytest.fixture
def store_url(redis_url: str) -> str:
    """Database 1 of the test Redis, emptied: the instances use the store's real key prefix."""
    url = redis_url.rsplit("/", 1)[0] + "/1"
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    return url


@pytest.fixture
async def instances(api: FakeBotApi, store_url: str, tmp_path: Path) -> AsyncIterator[list[Instance]]:
    started = await asyncio.gather(
        *(start_instance(n, api, store_url, tmp_path, flag=n == "a") for n in NAMES)
    )
    try:
        yield list(started)
    finally:
        for i in started:
            if i.proc.returncode is None:
                i.proc.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(i.proc.wait(), 60) for i in started]
        logs = "\n".join(i.log.read_text("utf-8") for i in started)
        assert codes == [0, 0], logs
        assert "drained" in logs and "Traceback" not in logs and api.token not in logs


async def stored(store_url: str, chat_id: int) -> Session:
    async with RedisSessionStore(store_url) as store:
        return (await store.load(chat_id)).session


async def conversation(chat: WebhookChat) -> list[tuple[str, list[str], str]]:
    """The whole wizard and a follow-up; after each update: text, buttons, version carried by buttons."""
    seen = []
    steps = [
        lambda: chat.send("/start"),
        lambda: chat.click("灵活就业人员"),
        lambda: chat.click("湖南"),
        lambda: chat.click("长沙市"),
        lambda: chat.click("💬 微信"),
        lambda: chat.click("⬅️ 上一步"),
        lambda: chat.send("支付宝"),
        lambda: chat.click("🧮 算一算要交多少"),
    ]
    for step in steps:
        shown = await step()
        assert shown is not None
        data = [b["callback_data"] for b in shown.buttons if "callback_data" in b]  # copy buttons have none
        version = data[0].split(":")[0] if data else ""
        seen.append((shown.plain, shown.labels, version))
    return seen


async def test_one_chat_alternating_between_two_instances_behaves_as_one_instance(
    api: FakeBotApi, instances: list[Instance], store_url: str
) -> None:
    a, b = instances
    both = WebhookChat(api, [a.url, b.url], SECRET, chat_id=7001)
    alone = WebhookChat(api, [a.url], SECRET, chat_id=7002)
    via_both, via_one = await conversation(both), await conversation(alone)
    assert via_both == via_one  # same texts, same buttons, same versions
    assert "缴费指南" in via_both[4][0] and "灵活就业人员 · 湖南省长沙市 · 微信" in via_both[4][0]
    assert both.statuses == [200] * len(via_both)
    # Every update was answered exactly once, by the instance it was delivered to.
    for uid, target in both.routes.items():
        offer = api.offers[uid]
        assert offer.answered_by == NAMES[target], uid
        assert offer.query_id is None or offer.answers == 1
    answers = [
        c
        for c in api.calls
        if c.params.get("chat_id") in (7001, "7001") and c.method != "answerCallbackQuery"
    ]
    assert len(answers) == len(both.routes) and {c.instance for c in answers} == {"a", "b"}
    session = await stored(store_url, 7001)
    assert session == await stored(store_url, 7002)
    assert str(session.version) == via_both[-1][2] and session.state == "instructions"


async def test_a_redelivered_update_landing_on_both_instances_at_once_is_processed_once(
    api: FakeBotApi, instances: list[Instance], store_url: str
) -> None:
    a, b = instances
    chat = WebhookChat(api, [a.url, b.url], SECRET, chat_id=7003)
    await chat.send("/start")
    before = await stored(store_url, 7003)
    uid = api.push_callback(7003, chat.wizard.message_id, chat.wizard.data_for("城乡居民"))
    body = api.take(uid)
    assert await asyncio.gather(*(post_update(i.url, body, SECRET) for i in instances)) == [200, 200]
    edits = [c for c in api.calls_of("editMessageText") if str(c.params["chat_id"]) == "7003"]
    assert len(edits) == 1 and api.offers[uid].answers == 1
    assert (await stored(store_url, 7003)).version == before.version + 1


async def test_a_double_tap_split_across_instances_applies_once(
    api: FakeBotApi, instances: list[Instance], store_url: str
) -> None:
    a, b = instances
    chat = WebhookChat(api, [a.url, b.url], SECRET, chat_id=7004)
    await chat.send("/start")
    before = await stored(store_url, 7004)
    data = chat.wizard.data_for("灵活就业人员")
    taps = [api.push_callback(7004, chat.wizard.message_id, data) for _ in instances]
    posts = [post_update(i.url, api.take(uid), SECRET) for i, uid in zip(instances, taps, strict=True)]
    assert await asyncio.gather(*posts) == [200, 200]
    after = await stored(store_url, 7004)
    assert after.version == before.version + 1 and after.slots["identity"] == "flexible"
    toasts = sorted(str(api.offers[uid].toast) for uid in taps)
    assert [api.offers[uid].answers for uid in taps] == [1, 1]
    assert toasts[0] == "None" and "过期" in toasts[1]  # the second tap found the step already taken
