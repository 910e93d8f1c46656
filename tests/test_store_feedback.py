"""One contract for reports and usage counts, run against every store (memory, SQLite, real Redis)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.feedback import Report, day_of
from bot.store import SessionStore
from tests.test_store import STORES


@pytest.fixture(params=sorted(STORES))
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SessionStore]:
    s = STORES[request.param](tmp_path, request)
    await s.open()
    yield s
    await s.close()


def report(region: str = "430100", created: float = 1000.0, text: str = "金额不对") -> Report:
    return Report(region, "resident", "wechat", "guide", "2026", text, created)


async def test_reports_round_trip_newest_first(store: SessionStore) -> None:
    first = await store.add_report(report(created=1000.0))
    second = await store.add_report(report("110000", created=2000.0, text="截止日期已变"))
    assert first != second and first > 0
    rows = await store.reports()
    assert [r.id for r in rows] == [second, first]
    assert rows[1] == Report("430100", "resident", "wechat", "guide", "2026", "金额不对", 1000.0, first)
    assert rows[0].open and rows[0].text == "截止日期已变"


async def test_region_filter_includes_cities_of_a_province(store: SessionStore) -> None:
    await store.add_report(report("430100"))
    await store.add_report(report("430000"))
    await store.add_report(report("110000"))
    assert {r.region for r in await store.reports(region="430000")} == {"430000", "430100"}
    assert {r.region for r in await store.reports(region="430100")} == {"430100"}
    assert len(await store.reports(region="650000")) == 0


async def test_close_report_once(store: SessionStore) -> None:
    rid = await store.add_report(report())
    other = await store.add_report(report(created=1500.0))
    assert await store.close_report(rid, 3000.0)
    assert not await store.close_report(rid, 3001.0)  # already closed
    assert not await store.close_report(9999, 3000.0)  # unknown
    assert [r.id for r in await store.reports(open_only=True)] == [other]
    closed = next(r for r in await store.reports() if r.id == rid)
    assert closed.closed == 3000.0 and not closed.open


async def test_counts_add_up_across_batches(store: SessionStore) -> None:
    await store.add_counts({("2026-12-01", "430100", "guide"): 2, ("2026-12-01", "-", "start"): 1})
    await store.add_counts({("2026-12-01", "430100", "guide"): 3, ("2026-12-02", "-", "unknown:你好呀"): 1})
    await store.add_counts({})
    assert await store.counts() == {
        ("2026-12-01", "430100", "guide"): 5,
        ("2026-12-01", "-", "start"): 1,
        ("2026-12-02", "-", "unknown:你好呀"): 1,
    }
    assert await store.counts(since="2026-12-02") == {("2026-12-02", "-", "unknown:你好呀"): 1}


async def test_purge_keeps_open_reports_and_recent_counts(store: SessionStore) -> None:
    now = time.time()
    old, recent = now - 40 * 86400, now - 86400
    kept_open = await store.add_report(report(created=old))
    closed_long_ago = await store.add_report(report(created=old))
    closed_lately = await store.add_report(report(created=old))
    await store.close_report(closed_long_ago, old + 1)
    await store.close_report(closed_lately, recent)
    await store.add_counts({(day_of(old), "-", "start"): 1, (day_of(recent), "-", "start"): 1})
    cutoff = now - 30 * 86400
    assert await store.purge_feedback(cutoff) == 2
    assert {r.id for r in await store.reports()} == {kept_open, closed_lately}
    assert await store.counts() == {(day_of(recent), "-", "start"): 1}


async def test_forget_leaves_reports_alone(store: SessionStore) -> None:
    """Reports and counts hold no chat id, so /forget has nothing of theirs to find."""
    rid = await store.add_report(report())
    assert not await store.forget(42)
    assert [r.id for r in await store.reports()] == [rid]
