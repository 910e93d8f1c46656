"""Operator mistakes and a failing disk at runtime: the user gets a clear message, the log says where,
the bot keeps running."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path
from types import MappingProxyType

import pytest

from bot.adapters.telegram.texts import load_texts
from bot.catalog.loader import load_catalog
from bot.render import MESSAGES_DIR, Renderer
from bot.store.sqlite import SqliteSessionStore
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.wizard import Wizard
from tests.e2e.conftest import running_bot
from tests.helpers.disk import fill_to_the_brim, make_room
from tests.helpers.trees import flows_tree

TEXTS = load_texts(MESSAGES_DIR)
FALLBACK = "这部分内容暂时无法显示"
BUSY = "系统暂时繁忙"


async def test_flow_string_broken_for_one_city_gets_the_fallback_with_hotline(
    tmp_path: Path, settings, api: FakeBotApi, wizard, renderer, caplog
) -> None:
    # A flow string that fails only when rendered (the loader's static check refuses misspelt variables,
    # so the broken string is put into an already loaded catalog, as a check that missed it would).
    catalog = load_catalog(flows_tree(tmp_path))
    flow = catalog.flows["430100"]
    ident = flow.identities["flexible"]
    wechat = ident.channels["wechat"]
    assert wechat is not None
    broken_channel = wechat.model_copy(update={"steps": ("请拨打 {{ hotlien }}", *wechat.steps)})
    broken_ident = ident.model_copy(update={"channels": {**ident.channels, "wechat": broken_channel}})
    broken_flow = flow.model_copy(update={"identities": {**flow.identities, "flexible": broken_ident}})
    broken = dataclasses.replace(catalog, flows=MappingProxyType({**catalog.flows, "430100": broken_flow}))
    reloaded = Wizard(broken, renderer.labels)
    async with running_bot(settings, api, wizard, renderer) as bot:
        chat = ChatClient(api, bot.tracker)
        await chat.send("/start flex-430100")
        bot.holder.swap(reloaded)  # what an admin reload does
        page = await chat.click("💬 微信")
        assert FALLBACK in page.plain and "12393" in page.plain
        assert "💬 微信" in page.labels and "⬅️ 上一步" in page.labels  # the current step, to go on
        assert (await bot.store.load(chat.chat_id)).session.state == "channel"  # nothing half-saved
        other = await chat.click("🏦 银行柜台/手机银行")  # the rest of the flow still works
        assert "缴费指南" in other.plain and FALLBACK not in other.plain
    assert "content error" in caplog.text and "430100-changsha.yaml" in caplog.text
    assert "430000-hunan.yaml" in caplog.text and "hotlien" in caplog.text and "flow string" in caplog.text


@pytest.mark.parametrize(
    ("snippet", "error"),
    [("{{ 1 / 0 }}", "ZeroDivisionError"), ("{{ channel.no_such_field }}", "UndefinedError")],
)
async def test_page_template_that_raises_gets_the_fallback_and_the_buttons(
    tmp_path: Path, settings, api: FakeBotApi, wizard, snippet: str, error: str, caplog
) -> None:
    messages = tmp_path / "messages"
    shutil.copytree(MESSAGES_DIR, messages)
    page = messages / "instructions.html.j2"
    page.write_text(
        f'{{% if channel.id == "alipay" %}}{snippet}{{% endif %}}\n' + page.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    renderer = Renderer(messages)
    async with running_bot(settings, api, wizard, renderer) as bot:
        chat = ChatClient(api, bot.tracker)
        answer = await chat.send("/start res-500000-alipay")
        assert FALLBACK in answer.plain and "12393" in answer.plain
        assert "🔁 换个缴费渠道" in answer.labels and "🔄 重新开始" in answer.labels
        await chat.click("🔁 换个缴费渠道")
        fine = await chat.click("💬 微信")
        assert "缴费指南" in fine.plain
    assert "messages/instructions.html.j2" in caplog.text and error in caplog.text
    assert "500000-chongqing.yaml" in caplog.text and "channel=alipay" in caplog.text


async def test_disk_full_tells_the_user_to_retry_and_the_bot_keeps_running(
    api: FakeBotApi, bot, caplog
) -> None:
    regular = ChatClient(api, bot.tracker, chat_id=100001)
    await regular.send("/start")
    await fill_to_the_brim(bot.store)
    newcomer = ChatClient(api, bot.tracker, chat_id=10**12)  # needs a new page: "database or disk is full"
    first = await newcomer.send("/start")  # nothing to save yet (only the message id, which may fail)
    assert "第 1/" in first.plain
    answer = await newcomer.click("城乡居民")
    assert newcomer.toast == TEXTS.toast_busy and BUSY in answer.plain and not answer.buttons
    assert "session store unavailable" in caplog.text and "full" in caplog.text
    await make_room(bot.store)  # space again
    assert "第 2/" in (await newcomer.click("城乡居民", first)).plain
    assert "第 2/" in (await regular.click("城乡居民")).plain


async def test_locked_database_tells_the_user_to_retry_and_the_tap_works_afterwards(
    settings, api: FakeBotApi, wizard, renderer, caplog
) -> None:
    store = SqliteSessionStore(settings.database, busy_timeout=0.2)
    async with running_bot(settings, api, wizard, renderer, store) as bot:
        chat = ChatClient(api, bot.tracker)
        first = await chat.send("/start")
        other = sqlite3.connect(settings.database, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # e.g. a backup job holding the write lock
        try:
            answer = await chat.click("城乡居民")
            assert chat.toast == TEXTS.toast_busy and BUSY in answer.plain
        finally:
            other.execute("ROLLBACK")
            other.close()
        again = await chat.click("城乡居民", first)  # the same button: nothing was saved, still current
        assert chat.toast is None and "你在哪个省份参保" in again.plain
    assert "locked" in caplog.text
