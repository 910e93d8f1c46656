"""Start, stop and restart: sessions survive a new Application, long pages split, bad tokens refused."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.adapters.telegram.app import build_app
from bot.adapters.telegram.polling import serve
from bot.adapters.telegram.retry import DeliveryPolicy
from bot.catalog.loader import load_catalog
from bot.runtime import WizardHolder
from bot.store.memory import MemorySessionStore
from bot.store.sqlite import SqliteSessionStore
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.wizard import Wizard
from tests.e2e.conftest import running_bot
from tests.helpers.trees import flows_tree


async def test_restarting_the_application_mid_conversation_keeps_the_session(
    settings, api: FakeBotApi, wizard, renderer
) -> None:
    async with running_bot(settings, api, wizard, renderer) as first:
        chat = ChatClient(api, first.tracker)
        await chat.send("/start")
        await chat.click("城乡居民")
        before = (await first.store.load(chat.chat_id)).session
    async with running_bot(settings, api, wizard, renderer) as second:  # a new Application, same SQLite file
        chat.tracker = second.tracker
        city = await chat.click("湖南")
        assert chat.toast is None and "你在湖南省哪个城市参保" in city.plain
        after = (await second.store.load(chat.chat_id)).session
        assert after.version == before.version + 1 and after.slots["province"] == "430000"
    # Telegram is told the commands once; an unchanged menu is not set again on the next start.
    assert len(api.calls_of("setMyCommands")) == 1 and len(api.calls_of("getMyCommands")) == 2


async def test_long_instructions_are_split_with_buttons_on_the_last_part(
    tmp_path, settings, api: FakeBotApi, renderer
) -> None:
    notes = "\n".join(
        f"  - 第{i}条说明 <注意> & 细节：" + "本地缴费规定的详细说明。" * 25 for i in range(1, 31)
    )
    root = flows_tree(
        tmp_path,
        {
            "regions/110000-beijing.yaml": f'code: "110000"\nname: 北京市\naliases: [北京市]\nnotes:\n{notes}\n'
        },
    )
    wizard = Wizard(load_catalog(root), renderer.labels)
    async with running_bot(settings, api, wizard, renderer) as bot:
        chat = ChatClient(api, bot.tracker)
        await chat.send("/start flex-110000")
        await chat.click("💬 微信")
        guide = len(chat.messages)
        await chat.click("ℹ️ 电话、来源和更多")  # the long notes are on the "more" page
        parts = chat.messages[guide - 1 :]
        assert len(parts) >= 3
        assert all(not m.buttons for m in parts[:-1]) and "📋 返回缴费指南" in parts[-1].labels
        assert "更多信息" in parts[0].plain and "数据来源" in parts[-1].plain
        assert "<注意> & 细节" in "".join(m.plain for m in parts)
        # The wizard goes on from the message with the buttons.
        back = await chat.click("📋 返回缴费指南")
        assert back.message_id == parts[-1].message_id and "📍 在哪交" in back.plain
        channel = await chat.click("🔁 换个缴费渠道")
        assert "你想用哪种方式" in channel.plain


async def test_bad_token_is_reported_not_retried(settings, api: FakeBotApi, wizard, renderer, caplog) -> None:
    bad = replace(settings, telegram_token="7000000001:wrong")
    app = build_app(bad, WizardHolder(wizard), renderer, MemorySessionStore())
    assert await asyncio.wait_for(serve(app, asyncio.Event(), poll_timeout=1), 10) == 2
    assert "rejected TELEGRAM_BOT_TOKEN" in caplog.text and "wrong" not in caplog.text


async def test_unreachable_api_is_reported(settings, wizard, renderer, caplog) -> None:
    down = replace(settings, telegram_base_url="http://127.0.0.1:9/bot")
    # A delivery policy that gives up after a second, not the production budget of 30 seconds.
    quick = DeliveryPolicy(rate=0, budget=1.0, answer_budget=0.5, backoff=0.05, max_backoff=0.2)
    app = build_app(down, WizardHolder(wizard), renderer, MemorySessionStore(), policy=quick)
    assert await asyncio.wait_for(serve(app, asyncio.Event(), poll_timeout=1), 30) == 1
    assert "cannot reach the Bot API" in caplog.text


async def test_conflict_at_start_up_stops_with_exit_code_3(
    settings, api: FakeBotApi, wizard, renderer, caplog
) -> None:
    api.faults.conflict = True
    app = build_app(settings, WizardHolder(wizard), renderer, MemorySessionStore())
    assert await asyncio.wait_for(serve(app, asyncio.Event(), poll_timeout=1), 10) == 3
    assert "Another bot instance is already receiving updates" in caplog.text
    # Reported once, not a retry loop: one poll, plus PTB's final call confirming fetched updates.
    assert len(api.calls_of("getUpdates")) <= 2
    assert "Traceback" not in caplog.text


async def test_unusable_data_dir_is_reported(tmp_path, settings, wizard, renderer, caplog) -> None:
    (tmp_path / "file").write_text("not a directory")
    broken = replace(settings, data_dir=tmp_path / "file" / "data")
    app = build_app(broken, WizardHolder(wizard), renderer, SqliteSessionStore(broken.database))
    assert await asyncio.wait_for(serve(app, asyncio.Event(), poll_timeout=1), 10) == 1
    assert "cannot open the session database" in caplog.text
