"""Admin commands end to end: /reload (good and bad) and /flows over the real Application, the admins'
command menu, users mid-wizard across a reload, and reloading when flow files change (FLOWS_WATCH).

Every test runs the bot over its own small copy of flows/ (北京 and 湖南 with 长沙), so a reload, which
lints every page, takes a fraction of a second.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from bot.adapters.telegram.admin import ADMIN_COMMANDS
from bot.adapters.telegram.texts import load_texts
from bot.catalog.loader import load_catalog
from bot.clock import Clock, ManualClock
from bot.config import Settings
from bot.render import MESSAGES_DIR, Renderer
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.wizard import Wizard
from tests.e2e.conftest import RunningBot, running_bot
from tests.e2e.test_process_e2e import start_bot
from tests.helpers.trees import small_flows_tree

TEXTS = load_texts(MESSAGES_DIR)
ADMIN, USER, OTHER = 900001, 100001, 100002
CHANGSHA = "regions/430100-changsha.yaml"
OLD_STEP = "点击“社保”，选择“灵活就业医疗缴费”"
NEW_STEP = "点击“医保”，选择“灵活就业人员医保缴费”"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return small_flows_tree(tmp_path)


@asynccontextmanager
async def admin_bot(
    settings: Settings,
    api: FakeBotApi,
    tree: Path,
    renderer: Renderer,
    clock: Clock | None = None,
    **changes: object,
) -> AsyncIterator[RunningBot]:
    """The bot over ``tree`` with ADMIN as its only admin (and ``clock`` as its one clock)."""
    s = replace(settings, admin_ids=frozenset({ADMIN}), flows_dir=tree, **changes)  # type: ignore[arg-type]
    wizard = Wizard(load_catalog(tree), renderer.labels)
    async with running_bot(s, api, wizard, renderer, clock=clock) as bot:
        yield bot


@pytest.fixture
async def bot(
    settings: Settings, api: FakeBotApi, tree: Path, renderer: Renderer
) -> AsyncIterator[RunningBot]:
    async with admin_bot(settings, api, tree, renderer) as b:
        yield b


def edit(tree: Path, rel: str, old: str, new: str) -> None:
    path = tree / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def flexible_in_changsha(chat: ChatClient) -> None:
    """Choose 灵活就业人员 · 湖南省 · 长沙市: the chat waits at the channel step."""
    await chat.send("/start")
    await chat.click("灵活就业人员")
    await chat.click("湖南")
    page = await chat.click("长沙市")
    assert "🔷 支付宝" in page.labels


async def eventually(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def saved_until(path: Path, condition: Callable[[], bool]) -> None:
    """Wait for ``condition`` after saving ``path``; the watcher may still be starting when the first save
    happens, so save again (touch) each second until it holds."""
    for _ in range(30):
        try:
            return await eventually(condition, timeout=1)
        except AssertionError:
            path.touch()
    raise AssertionError(f"no reload after saving {path}")


def admin_chat(api: FakeBotApi, bot: RunningBot) -> ChatClient:
    return ChatClient(api, bot.tracker, chat_id=ADMIN, name="管理员")


async def test_good_reload_serves_new_content_to_a_user_mid_wizard(
    api: FakeBotApi, bot: RunningBot, tree: Path
) -> None:
    user, early, admin = (
        ChatClient(api, bot.tracker, USER),
        ChatClient(api, bot.tracker, OTHER),
        admin_chat(api, bot),
    )
    await flexible_in_changsha(user)
    await flexible_in_changsha(early)
    assert OLD_STEP in (await early.click("🔷 支付宝")).plain  # what the running catalog says
    before = await bot.store.load(USER)
    first = bot.holder.current

    edit(tree, CHANGSHA, OLD_STEP, NEW_STEP)
    assert bot.holder.current is first  # files on disk change nothing until a reload
    await admin.send("/reload")

    (reply_message,) = admin.messages  # "please wait", then edited into the outcome
    assert reply_message.edits == 1
    reply = reply_message.plain
    assert "流程已重新加载" in reply and "地区：" in reply and "请稍候" not in reply
    assert "✏️ 修改 1 个：长沙市（430100）" in reply and "新增" not in reply and "删除" not in reply
    assert bot.holder.current is not first
    assert await bot.store.load(USER) == before  # the session is untouched by the reload
    page = await user.click("🔷 支付宝")  # a button of the message shown before the reload
    assert NEW_STEP in page.plain and OLD_STEP not in page.plain
    assert user.toast is None and "缴费指南刚刚更新" not in page.plain  # nothing to repair: no notice
    assert (await bot.store.load(USER)).session.state == "instructions"
    assert len(user.messages) == 1  # edited in place, as any step


async def test_bad_reload_lists_the_errors_and_keeps_the_last_good_catalog(
    api: FakeBotApi, bot: RunningBot, tree: Path
) -> None:
    user, admin = ChatClient(api, bot.tracker, USER), admin_chat(api, bot)
    await flexible_in_changsha(user)
    first = bot.holder.current
    edit(tree, CHANGSHA, OLD_STEP, NEW_STEP)
    edit(tree, CHANGSHA, "name: 长沙市", "nam: 长沙市")  # a typo: unknown field
    edit(tree, "regions/430000-hunan.yaml", "identities:", "identities: [")  # broken YAML

    await admin.send("/reload")

    reply = "\n".join(m.plain for m in admin.messages)
    assert "没有重新加载" in reply and "仍在使用上一版本" in reply
    assert "flows/regions/430100-changsha.yaml:3: nam: unknown field (did you mean 'name'?" in reply
    assert "flows/regions/430000-hunan.yaml:" in reply
    assert "<b>" in admin.messages[-1].text  # sent as HTML, the problems escaped inside <code>
    assert bot.holder.current is first
    page = await user.click("🔷 支付宝")
    assert OLD_STEP in page.plain and NEW_STEP not in page.plain  # still the last good catalog

    edit(tree, CHANGSHA, "nam: 长沙市", "name: 长沙市")
    edit(tree, "regions/430000-hunan.yaml", "identities: [", "identities:")
    await admin.send("/reload")
    assert "流程已重新加载" in admin.messages[-1].plain and bot.holder.current is not first
    await user.click("🔁 换个缴费渠道")
    assert NEW_STEP in (await user.click("🔷 支付宝")).plain


async def test_many_errors_are_cut_with_a_count_and_split_under_the_limit(
    api: FakeBotApi, bot: RunningBot, tree: Path
) -> None:
    bad = "".join(f"  - x{i}: 1\n" for i in range(300))
    (tree / "regions" / "430200-zhuzhou.yaml").write_text(
        f"code: '430200'\nname: 株洲市\nparent: '430000'\nnotes:\n{bad}", encoding="utf-8"
    )
    admin = admin_chat(api, bot)
    await admin.send("/reload")
    texts = [m.plain for m in admin.messages]
    assert all(len(m.text) <= 4096 for m in admin.messages)
    joined = "\n".join(texts)
    assert "没有重新加载" in joined and "另有" in joined and "flows lint" in joined
    assert joined.count("flows/regions/430200-zhuzhou.yaml") == 40


async def test_user_whose_region_disappeared_is_told_and_moved_back(
    api: FakeBotApi, bot: RunningBot, tree: Path
) -> None:
    waiting, done, admin = (
        ChatClient(api, bot.tracker, USER),
        ChatClient(api, bot.tracker, OTHER),
        admin_chat(api, bot),
    )
    await flexible_in_changsha(waiting)
    await flexible_in_changsha(done)
    await done.click("💬 微信")
    (tree / CHANGSHA).unlink()  # 湖南 has no city file left: its city step goes away

    await admin.send("/reload")
    assert "➖ 删除 1 个：长沙市（430100）" in admin.messages[-1].plain

    # A button of the old channel step: told, and shown the nearest valid step (湖南's channels).
    page = await waiting.click("🔷 支付宝")
    assert waiting.toast is None and "缴费指南刚刚更新" in page.plain
    assert "长沙" not in page.plain and "🔷 支付宝" in page.labels
    session = (await bot.store.load(USER)).session
    assert session.state == "channel" and dict(session.slots) == {
        "identity": "flexible",
        "province": "430000",
    }
    # The user picks again and goes on with the new catalog.
    page = await waiting.click("🔷 支付宝")
    assert "灵活就业人员 · 湖南省 · 支付宝" in page.plain

    # A user who had the instructions open types something: told, and shown 湖南's instructions.
    answer = await done.send("多少钱")
    assert "缴费指南刚刚更新" in answer.plain and "灵活就业人员 · 湖南省 · 微信" in answer.plain
    session = (await bot.store.load(OTHER)).session
    assert session.state == "instructions" and "city" not in session.slots


async def test_non_admins_are_answered_as_for_any_unknown_command(
    api: FakeBotApi, bot: RunningBot, tree: Path
) -> None:
    user = ChatClient(api, bot.tracker, USER)
    first = bot.holder.current
    edit(tree, CHANGSHA, OLD_STEP, NEW_STEP)
    unknown = (await user.send("/frobnicate")).text
    for command in ADMIN_COMMANDS:
        answer = await user.send(f"/{command}")
        assert answer.text == unknown.replace("/frobnicate", f"/{command}")
    assert bot.holder.current is first  # nothing was reloaded
    assert api.menu_for(USER) == [name for name, _ in TEXTS.commands]


async def test_flows_lists_regions_with_retrieved_dates(
    api: FakeBotApi, settings: Settings, tree: Path, renderer: Renderer
) -> None:
    edit(tree, CHANGSHA, "retrieved: 2026-11-23", "retrieved: 2020-01-02")  # the first date in 长沙's file
    clock = ManualClock(dt.datetime(2026, 12, 1, 9, 0))
    async with admin_bot(settings, api, tree, renderer, clock) as bot:
        admin = admin_chat(api, bot)
        await admin.send("/flows")
        text, shown = "\n".join(m.plain for m in admin.messages), len(admin.messages)
        clock.set(dt.datetime(2029, 1, 1, 9, 0))  # the bot's one clock, not the system date, says what is old
        await admin.send("/flows")
        later = "\n".join(m.plain for m in admin.messages[shown:])
    regions = len(bot.holder.current.catalog.regions)
    assert f"⚠️ {regions} 个地区有超过 365 天前取得的内容" in later
    assert "征缴 2029 年度" in later and "征缴 2029 年度" not in text  # the freshness summary too
    catalog = bot.holder.current.catalog
    assert "已加载的流程" in text and f"地区：{len(catalog.regions)} 个" in text
    assert "取数日期：最早 2020-01-02" in text
    assert "⚠️ 1 个地区有超过 365 天前取得的内容" in text
    assert "    ⚠️ 长沙市 · 430100 · " in text and " · 2020-01-02 ~ " in text
    assert "湖南省 · 430000 · " in text and "北京市 · 110000 · " in text
    assert all(len(m.text) <= 4096 for m in admin.messages)


async def test_admin_menu_only_in_admin_chats(
    api: FakeBotApi, settings: Settings, tree: Path, renderer: Renderer
) -> None:
    public = [name for name, _ in TEXTS.commands]
    async with admin_bot(settings, api, tree, renderer) as bot:
        # The admin has not written to the bot yet: Telegram cannot set a menu for that chat.
        scoped = [c for c in api.calls if "MyCommands" in c.method and c.params.get("scope")]
        assert scoped and {c.error for c in scoped} == {"Bad Request: chat not found"}
        assert api.menu_for(ADMIN) == public
        await ChatClient(api, bot.tracker, USER).send("/start")
        admin = admin_chat(api, bot)
        await admin.send("/start")  # any message from an admin sets the menu now
        assert api.menu_for(ADMIN) == [*public, *ADMIN_COMMANDS]
        assert api.menu_for(USER) == public and [c["command"] for c in api.commands] == public
    sets = len(api.calls_of("setMyCommands"))
    async with admin_bot(settings, api, tree, renderer):  # restarted: the menus are already right
        pass
    assert len(api.calls_of("setMyCommands")) == sets
    assert api.menu_for(ADMIN) == [*public, *ADMIN_COMMANDS]


async def test_file_watch_reloads_after_a_save_and_reports_trouble_to_admins(
    api: FakeBotApi, settings: Settings, tree: Path, renderer: Renderer
) -> None:
    async with admin_bot(settings, api, tree, renderer, flows_watch=True, flows_watch_debounce_ms=100) as bot:
        admin, user = admin_chat(api, bot), ChatClient(api, bot.tracker, USER)
        await admin.send("/flows")
        replies = len(admin.messages)  # the region list, then the freshness summary (feedback.py)
        assert replies == 2 and "内容新鲜度" in admin.messages[-1].plain
        await flexible_in_changsha(user)
        first = bot.holder.current

        edit(tree, CHANGSHA, OLD_STEP, NEW_STEP)
        await saved_until(tree / CHANGSHA, lambda: bot.holder.current is not first)
        assert NEW_STEP in (await user.click("🔷 支付宝")).plain
        told = len(admin.messages)
        assert told == replies  # a good reload is only logged

        second = bot.holder.current
        edit(tree, CHANGSHA, "name: 长沙市", "nam: 长沙市")
        await eventually(lambda: len(admin.messages) > told)
        warning = admin.messages[-1].plain
        assert "流程文件有改动" in warning and "没有重新加载" in warning and "nam: unknown field" in warning
        assert bot.holder.current is second

        edit(tree, CHANGSHA, "nam: 长沙市", "name: 长沙市")
        await eventually(lambda: len(admin.messages) > told + 1)
        assert "之前的错误已修复" in admin.messages[-1].plain and bot.holder.current is not second


async def test_python_m_bot_reads_admin_ids_and_flows_watch_from_the_environment(
    api: FakeBotApi, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real process: ADMIN_IDS, FLOWS_DIR and FLOWS_WATCH from the environment, a clean stop."""
    for key, value in {
        "ADMIN_IDS": str(ADMIN),
        "FLOWS_DIR": str(tree),
        "FLOWS_WATCH": "1",
        "FLOWS_WATCH_DEBOUNCE_MS": "100",
    }.items():
        monkeypatch.setenv(key, value)
    log = tmp_path / "bot.log"
    proc = await start_bot(api, tmp_path / "data", log)
    admin = ChatClient(api, chat_id=ADMIN, name="管理员")  # no tracker: waits for answers at the server
    try:
        assert "已加载的流程" in (await admin.send("/flows")).plain
        edit(tree, CHANGSHA, "name: 长沙市", "nam: 长沙市")
        await saved_until(tree / CHANGSHA, lambda: "流程文件有改动" in admin.messages[-1].plain)
        assert "nam: unknown field" in admin.messages[-1].plain
        await admin.send("/reload")
        await api.wait_for(lambda: "没有重新加载" in admin.messages[-1].plain, 30)
        assert "流程文件有改动" not in admin.messages[-1].plain
    finally:
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 30)
    text = log.read_text(encoding="utf-8")
    assert code == 0, text
    assert "watching" in text and "Traceback" not in text
