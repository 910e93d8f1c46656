"""Reports of wrong information end to end over the fake Bot API: a user reports from a guide (personal
data refused), the admin gets one batched notice, /reports lists it, "查看" shows the page as the user
saw it, "关闭" closes it; /stats counts what happened without user ids."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from bot.catalog.loader import load_catalog
from bot.cli import main
from bot.config import Settings
from bot.render import Renderer
from bot.store.redis import RedisSessionStore
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.wizard import Wizard
from tests.e2e.conftest import RunningBot, running_bot
from tests.e2e.test_admin_e2e import ADMIN, OTHER, USER, admin_bot, eventually
from tests.helpers.trees import small_flows_tree

ID_NUMBER = "11010519491231002X"  # a valid check digit: the privacy guard refuses it


@pytest.fixture
async def bot(
    settings: Settings, api: FakeBotApi, tmp_path: Path, renderer: Renderer
) -> AsyncIterator[RunningBot]:
    async with admin_bot(settings, api, small_flows_tree(tmp_path), renderer, reports_notice_seconds=0) as b:
        yield b


async def guide(chat: ChatClient) -> None:
    await chat.send("/start")
    for label in ("城乡居民", "湖南", "长沙市", "💬 微信"):
        await chat.click(label)
    assert "⚠️ 信息有误？" in chat.wizard.labels  # type: ignore[union-attr]


async def test_user_reports_admin_is_told_lists_jumps_and_closes(api: FakeBotApi, bot: RunningBot) -> None:
    user, admin = ChatClient(api, bot.tracker, USER), ChatClient(api, bot.tracker, ADMIN, "管理员")
    await guide(user)
    ask = await user.click("⚠️ 信息有误？")
    assert ask is not None and "哪里不对？" in ask.plain and "长沙市" in ask.plain
    refused = await user.send(f"我的身份证是{ID_NUMBER}")
    assert refused is not None and "哪里不对？" in refused.plain  # still asked; nothing kept
    assert await bot.store.reports() == []
    thanks = await user.send("金额已经涨到每人每年420元了")
    assert thanks is not None and "谢谢" in thanks.plain and "微信" in thanks.plain
    (kept,) = await bot.store.reports()
    assert (kept.region, kept.identity, kept.channel, kept.page) == ("430100", "resident", "wechat", "guide")
    assert kept.text == "金额已经涨到每人每年420元了" and kept.year and kept.open
    assert (await bot.store.load(USER)).session.question == ""  # back where they were: the guide

    await eventually(lambda: any("新的“信息有误”反馈" in m.plain for m in admin.messages))
    (notice,) = [m for m in admin.messages if "新的“信息有误”反馈" in m.plain]
    assert "收到 1 条" in notice.plain and "长沙市 1 条" in notice.plain and "/reports" in notice.plain

    listing = await admin.send("/reports")
    assert listing is not None and "待处理的反馈：1 条" in listing.plain
    assert "长沙市(430100)" in listing.plain and "金额已经涨到每人每年420元了" in listing.plain
    page = await admin.click(f"👁 查看 #{kept.id}", listing)
    assert page is not None and "反馈 #" in page.plain and "湖南省长沙市" in page.plain
    assert (await bot.store.load(ADMIN)).session.state == "instructions"

    closed = await admin.click(f"✅ 关闭 #{kept.id}", listing)
    assert admin.toast == f"已关闭 #{kept.id}"
    assert closed is not None and "没有待处理的反馈" in closed.plain
    assert await bot.store.reports(open_only=True) == []
    assert not (await bot.store.reports())[0].open

    stats = await admin.send("/stats")
    assert stats is not None and "使用统计" in stats.plain and "反馈 1" in stats.plain
    assert "湖南省长沙市" not in stats.plain and "长沙市(430100)：1" in stats.plain


async def test_reports_from_follow_ups_and_back_without_reporting(api: FakeBotApi, bot: RunningBot) -> None:
    user = ChatClient(api, bot.tracker, USER)
    await guide(user)
    await user.click("🧮 算一算要交多少")
    await user.click("⚠️ 信息有误？")
    back = await user.click("↩️ 不用了，返回")
    assert back is not None and "⚠️ 信息有误？" in back.labels
    assert "🧮 算一算要交多少" not in back.labels  # back on the calculator, which has no button to itself
    await user.click("⚠️ 信息有误？")
    await user.send("大学生的金额不对")
    (kept,) = await bot.store.reports()
    assert kept.page == "calc"


async def test_several_reports_make_one_notice_and_others_cannot_see_them(
    settings: Settings, api: FakeBotApi, tmp_path: Path, renderer: Renderer
) -> None:
    tree = small_flows_tree(tmp_path)
    async with admin_bot(settings, api, tree, renderer, reports_notice_seconds=8) as bot:
        admin = ChatClient(api, bot.tracker, ADMIN, "管理员")
        for chat_id in (USER, OTHER):
            chat = ChatClient(api, bot.tracker, chat_id)
            await guide(chat)
            await chat.click("⚠️ 信息有误？")
            await chat.send("截止日期延长到2月底了")
        await eventually(lambda: any("反馈" in m.plain for m in admin.messages))
        await asyncio.sleep(0.5)
        notices = [m for m in admin.messages if "新的“信息有误”反馈" in m.plain]
        assert len(notices) == 1 and "收到 2 条" in notices[0].plain
        other = ChatClient(api, bot.tracker, OTHER)
        answer = await other.send("/reports")
        assert answer is not None and "待处理" not in answer.plain  # the unknown-command answer


async def test_reports_on_redis_then_closed_from_the_cli(
    settings: Settings,
    api: FakeBotApi,
    tmp_path: Path,
    renderer: Renderer,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The bot keeps the report in Redis; an operator at a terminal lists and closes it there."""
    url = redis_url.rsplit("/", 1)[0] + "/6"
    redis.Redis.from_url(url).flushdb()
    tree = small_flows_tree(tmp_path)
    s = replace(settings, admin_ids=frozenset({ADMIN}), flows_dir=tree, reports_notice_seconds=0)
    store = RedisSessionStore(url)
    async with running_bot(s, api, Wizard(load_catalog(tree), renderer.labels), renderer, store) as bot:  # type: ignore[arg-type]
        user = ChatClient(api, bot.tracker, USER)
        await guide(user)
        await user.click("⚠️ 信息有误？")
        await user.send("微信里的菜单名称变了")
    monkeypatch.setenv("SESSION_STORE", url)
    monkeypatch.setenv("FLOWS_DIR", str(tree))
    assert await asyncio.to_thread(main, ["reports", "--open"]) == 0
    out = capsys.readouterr().out
    assert "长沙市(430100): 1" in out and "微信里的菜单名称变了" in out
    assert await asyncio.to_thread(main, ["reports", "--close", "1"]) == 0
    assert await asyncio.to_thread(main, ["reports", "--open"]) == 0
    assert capsys.readouterr().out.endswith("no reports\n")
