"""Reloading flows beside the running catalog: a good reload swaps, a bad one keeps the last good catalog."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.catalog.loader import load_catalog
from bot.events import Event
from bot.render import Renderer
from bot.runtime import WizardHolder
from bot.session import Session
from bot.tools import reload as reload_mod
from bot.tools.reload import Reloader, changes, try_reload
from bot.tools.watch import watch_flows
from bot.wizard import Wizard
from tests.helpers.trees import small_flows_tree

ZHUZHOU = "code: '430200'\nname: 株洲市\nparent: '430000'\n"
KEEP = ("110000", "430000")  # a reload lints every page; two provinces keep these tests quick


def small_tree(tmp_path: Path) -> Path:
    """北京 and 湖南 (with 湖南's cities) only: a real tree, just smaller."""
    return small_flows_tree(tmp_path, KEEP)


def test_good_reload_returns_new_catalog_and_changes(tmp_path: Path) -> None:
    root = small_tree(tmp_path)
    old = load_catalog(root)
    (root / "regions" / "430200-zhuzhou.yaml").write_text(ZHUZHOU, encoding="utf-8")
    (root / "regions" / "110000-beijing.yaml").unlink()
    new, problems = try_reload(root, old)
    assert new is not None and new is not old
    assert [p for p in problems if p.severity == "error"] == []
    diff = changes(old, new)
    assert diff.added == ("430200",) and "110000" in diff.changed and diff.removed == ()
    assert "430200" not in old.flows  # the old catalog is untouched


def test_bad_reload_keeps_nothing_and_reports(tmp_path: Path) -> None:
    root = small_tree(tmp_path)
    old = load_catalog(root)
    (root / "regions" / "430100-changsha.yaml").write_text(
        "code: '430100'\nparent: '430000'\nnam: x\n", "utf-8"
    )
    new, problems = try_reload(root, old)
    assert new is None
    assert any(
        str(p).startswith("flows/regions/430100-changsha.yaml:3: nam: unknown field (did you mean 'name'?")
        for p in problems
    )


def test_reload_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(reload_mod, "lint", boom)
    new, problems = try_reload(tmp_path, None)
    assert new is None and "disk on fire" in problems[0].message
    new, problems = try_reload(tmp_path / "missing", None)  # no such directory: still no exception
    assert new is None and problems


def _reloader(root: Path) -> Reloader:
    return Reloader(WizardHolder(Wizard(load_catalog(root), Renderer().labels)), root)


def test_reloader_swaps_only_when_valid(tmp_path: Path) -> None:
    root = small_tree(tmp_path)
    reloader = _reloader(root)
    first = reloader.holder.current
    (root / "regions" / "430200-zhuzhou.yaml").write_text(ZHUZHOU + "nam: x\n", encoding="utf-8")
    swapped, problems, _ = reloader.reload()
    assert not swapped and problems and reloader.holder.current is first
    (root / "regions" / "430200-zhuzhou.yaml").write_text(ZHUZHOU, encoding="utf-8")
    swapped, _, diff = reloader.reload()
    assert swapped and diff.added == ("430200",)
    assert reloader.holder.current is not first and "430200" in reloader.holder.current.catalog.flows
    assert reloader.holder.current.labels is first.labels


def test_user_mid_wizard_keeps_their_place_or_is_moved_back(tmp_path: Path) -> None:
    root = small_tree(tmp_path)
    reloader = _reloader(root)
    session = Session()
    for value in ("resident", "430000", "430100"):
        session, _ = reloader.holder.current.step(session, Event("pick", value, session.version))
    assert session.state == "channel"
    # A reload that does not touch 长沙 keeps the user exactly where they were.
    (root / "regions" / "430200-zhuzhou.yaml").write_text(ZHUZHOU, encoding="utf-8")
    assert reloader.reload()[0]
    same, view = reloader.holder.current.step(session, Event("show"))
    assert same == session and view.notice is None
    # A reload that removes 长沙 moves them to the nearest valid step and says why.
    (root / "regions" / "430100-changsha.yaml").unlink()
    assert reloader.reload()[0]
    moved, view = reloader.holder.current.step(session, Event("show"))
    assert moved.state == "city" and view.notice == "catalog_changed"
    assert dict(moved.slots) == {"identity": "resident", "province": "430000"}


async def test_watcher_reloads_on_change(tmp_path: Path) -> None:
    root = small_tree(tmp_path)
    reloader = _reloader(root)
    results: asyncio.Queue = asyncio.Queue()
    stop = asyncio.Event()

    async def on_result(swapped, problems, diff) -> None:
        await results.put((swapped, problems, diff))

    task = asyncio.create_task(watch_flows(reloader, on_result, stop=stop, debounce_ms=100))
    try:
        await asyncio.sleep(0.5)  # let the watcher start
        (root / "regions" / "430200-zhuzhou.yaml").write_text(ZHUZHOU, encoding="utf-8")
        swapped, _, diff = await asyncio.wait_for(results.get(), timeout=20)
        assert swapped and diff.added == ("430200",)
        (root / "regions" / "430200-zhuzhou.yaml").write_text(ZHUZHOU + "nam: x\n", encoding="utf-8")
        swapped, problems, _ = await asyncio.wait_for(results.get(), timeout=20)
        assert not swapped and any("nam: unknown field" in str(p) for p in problems)
        assert "430200" in reloader.holder.current.catalog.flows  # still the last good catalog
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
