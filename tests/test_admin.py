"""Admin commands without Telegram: reply contents, limits, texts, settings, and sessions across a reload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.adapters.telegram import admin_report
from bot.adapters.telegram.admin import ADMIN_COMMANDS, load_admin_texts
from bot.adapters.telegram.admin_report import flows_context, reload_context, render_messages
from bot.adapters.telegram.split import utf16_len
from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.config import load_settings
from bot.errors import ConfigError, Problem
from bot.events import Event
from bot.render import MESSAGES_DIR, Renderer, html_to_text
from bot.session import Session
from bot.tools.reload import Changes, changes
from bot.wizard import Wizard
from tests.helpers.trees import FLOWS, small_flows_tree
from tests.test_operators_guide import _flows_with_example


def test_reload_reply_names_changes_and_counts(catalog: Catalog, renderer: Renderer) -> None:
    warn = Problem("flows/regions/x.yaml", 7, "a.verified", "verified 2020-01-01, over a year ago", "warning")
    diff = Changes(added=("430100",), removed=("999999",), changed=tuple(sorted(catalog.regions)))
    (text,) = render_messages(renderer, "admin_reload", reload_context(True, [warn], diff, catalog, catalog))
    assert "流程已重新加载" in text and f"地区：{len(catalog.regions)} 个" in text and "警告：1 条" in text
    assert "➕ 新增 1 个：长沙市（430100）" in text
    assert "➖ 删除 1 个：999999" in text  # a code no catalog names is shown as it is
    # Every region changed (national.yaml edited): the first 20 are named, then "等".
    changed = text.split("✏️ 修改 ")[1].split("\n")[0]
    assert changed.startswith(f"{len(catalog.regions)} 个：北京市（110000）、") and changed.endswith(" 等")
    assert changed.count("（") == admin_report.MAX_NAMED
    assert "<code>flows/regions/x.yaml:7: a.verified: warning: verified 2020-01-01" in text


def test_refused_reload_escapes_cuts_and_splits(catalog: Catalog, renderer: Renderer) -> None:
    long = "x" * 1000
    problems = [Problem("flows/regions/a.yaml", i, "f", f"<b>&{long}") for i in range(1, 100)]
    problems.append(Problem("flows/national.yaml", 1, "g", "old", "warning"))
    parts = render_messages(renderer, "admin_reload", reload_context(False, problems, Changes(), catalog))
    joined = "\n".join(parts)
    assert all(utf16_len(p) <= 4096 for p in parts) and len(parts) > 1
    assert "流程有 99 个错误，没有重新加载</b>（另有 1 条警告）" in joined
    assert "&lt;b&gt;&amp;xxx" in joined and "<b>&" not in joined  # the problems are escaped
    assert joined.count("<code>flows/regions/a.yaml:") == admin_report.MAX_ERRORS
    assert f"另有 {99 - admin_report.MAX_ERRORS} 个错误" in joined
    assert max(len(line) for line in joined.splitlines()) < admin_report.MAX_PROBLEM + 40  # long lines cut
    assert "flows/national.yaml" not in joined  # warnings are counted, not listed, after a refusal


def test_flows_summary_lists_regions_and_marks_stale_ones(catalog: Catalog, renderer: Renderer) -> None:
    newest = max(d for r in admin_report.coverage(catalog) if r.retrieved for d in r.retrieved)
    fresh = flows_context(catalog, today=newest)
    assert fresh["stale"] == 0 and len(fresh["rows"]) == len(catalog.regions)
    late = flows_context(catalog, today=newest + dt.timedelta(days=400))
    assert late["stale"] == len(catalog.regions)
    parts = render_messages(renderer, "admin_flows", late)
    text = "\n".join(parts)
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert f"⚠️ {len(catalog.regions)} 个地区有超过 365 天前取得的内容" in text
    assert "⚠️ 湖南省 · 430000 · " in text and "    ⚠️ 长沙市 · 430100 · " in text
    assert "数字按待遇年度：" in text and "2025年度" in text  # what to renew, by coverage year


def test_flows_summary_counts_cities_when_there_are_very_many(
    catalog: Catalog, renderer: Renderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admin_report, "MAX_CITY_LINES", 10)
    ctx = flows_context(catalog)
    assert not ctx["list_cities"] and len(ctx["rows"]) == len(catalog.provinces)
    text = "\n".join(render_messages(renderer, "admin_flows", ctx))
    assert (
        "长沙市" not in text
        and f"湖南省 · 430000 · 2023..2025 · {ctx['newest']}" in text
        and " 个城市" in text
    )


def test_admin_texts_are_checked(tmp_path: Path) -> None:
    assert [name for name, _ in load_admin_texts(MESSAGES_DIR).commands] == list(ADMIN_COMMANDS)
    (tmp_path / "admin.yaml").write_text("commands:\n  reload: 重新加载\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"admin\.yaml: commands: must describe exactly reload, flows"):
        load_admin_texts(tmp_path)
    others = "  reports: r\n  stats: s\n"
    (tmp_path / "admin.yaml").write_text(
        f"commands:\n  reload: x\n  flows: {'长' * 257}\n{others}", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"commands\.flows: description must be 1-256 characters"):
        load_admin_texts(tmp_path)
    (tmp_path / "admin.yaml").write_text(
        "commands: {reload: x, flows: y, reports: r, stats: s}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="reload_started: missing or not a text"):
        load_admin_texts(tmp_path)


def test_flows_watch_settings(tmp_path: Path) -> None:
    none = tmp_path / "none"
    default = load_settings({}, env_file=none)
    assert not default.flows_watch and default.flows_watch_debounce_ms == 500
    on = load_settings({"FLOWS_WATCH": "1", "FLOWS_WATCH_DEBOUNCE_MS": "2000"}, env_file=none)
    assert on.flows_watch and on.flows_watch_debounce_ms == 2000
    assert load_settings({"FLOWS_WATCH": "On"}, env_file=none).flows_watch
    assert not load_settings({"FLOWS_WATCH": "false"}, env_file=none).flows_watch
    with pytest.raises(ConfigError, match="FLOWS_WATCH must be 1 or 0"):
        load_settings({"FLOWS_WATCH": "sometimes"}, env_file=none)
    with pytest.raises(ConfigError, match="FLOWS_WATCH_DEBOUNCE_MS must be a whole number from 50"):
        load_settings({"FLOWS_WATCH_DEBOUNCE_MS": "10"}, env_file=none)


# ----- sessions across a reload (the wizard repairs them on the user's next update) ----------------
def _walk(wizard: Wizard, *values: str) -> Session:
    session = Session()
    for value in values:
        session, _ = wizard.step(session, Event("pick", value, session.version))
    return session


def test_province_losing_its_last_city_moves_users_to_the_province(
    tmp_path: Path, renderer: Renderer
) -> None:
    root = small_flows_tree(tmp_path)
    old = Wizard(load_catalog(root), renderer.labels)
    at_channel = _walk(old, "flexible", "430000", "430100")
    done = _walk(old, "flexible", "430000", "430100", "wechat")
    (root / "regions" / "430100-changsha.yaml").unlink()
    new = Wizard(load_catalog(root), renderer.labels)
    moved, view = new.step(at_channel, Event("show"))
    assert view.notice == "catalog_changed" and moved.state == "channel"
    assert dict(moved.slots) == {"identity": "flexible", "province": "430000"}
    moved, view = new.step(done, Event("show"))
    assert view.notice == "catalog_changed" and moved.state == "instructions"
    assert dict(moved.slots) == {"identity": "flexible", "province": "430000", "channel": "wechat"}


def test_event_meant_for_a_vanished_step_is_not_applied(tmp_path: Path, renderer: Renderer) -> None:
    root = small_flows_tree(tmp_path)
    old = Wizard(load_catalog(root), renderer.labels)
    session = _walk(old, "resident", "430000", "430100")
    (root / "regions" / "430100-changsha.yaml").unlink()
    new = Wizard(load_catalog(root), renderer.labels)
    # A button of the old page carries the old version: the user is told why, not that it expired.
    moved, view = new.step(session, Event("pick", "wechat", session.version))
    assert view.notice == "catalog_changed" and moved.state == "channel" and "channel" not in moved.slots
    # Restarting is still a restart.
    restarted, view = new.step(session, Event("restart"))
    assert restarted.state == "identity" and view.notice == "restarted"
    # Once repaired, the session is what the new catalog expects: no more notices.
    again, view = new.step(moved, Event("pick", "wechat", moved.version))
    assert view.notice is None and again.state == "instructions"


def test_operators_guide_shows_the_reply_to_its_worked_example(tmp_path: Path, renderer: Renderer) -> None:
    """docs/operators.md quotes the /reload reply after adding 株洲 as its worked example does."""
    old = load_catalog(FLOWS)
    new = load_catalog(_flows_with_example(tmp_path))
    (reply,) = render_messages(
        renderer, "admin_reload", reload_context(True, [], changes(old, new), new, old)
    )
    guide = (FLOWS.parent / "docs" / "operators.md").read_text(encoding="utf-8")
    for line in html_to_text(reply).splitlines():
        assert f"  {line}\n" in guide, line
