"""``python -m bot reports|stats`` and ``flows stale`` on the store the bot uses: SQLite and a real Redis."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

import pytest

from bot.catalog.loader import load_catalog
from bot.cli import main
from bot.config import load_settings
from bot.feedback import CHINA, Report, day_of
from bot.store.factory import make_store
from bot.tools.freshness import collecting_year, day_stats, format_stats, freshness, stats_context


@pytest.fixture(params=["sqlite", "redis"])
def store_env(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the CLI at a fresh SQLite file or a fresh Redis database."""
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    if request.param == "redis":
        url = request.getfixturevalue("redis_url").rsplit("/", 1)[0] + "/7"
        monkeypatch.setenv("SESSION_STORE", url)
        import redis

        redis.Redis.from_url(url).flushdb()
    else:
        monkeypatch.setenv("SESSION_STORE", "")
    return request.param


def seed() -> None:
    async def go() -> None:
        store = make_store(load_settings())
        await store.open()
        now = time.time()
        await store.add_report(
            Report("430100", "resident", "wechat", "guide", "2025年度", "金额已调整", now - 60)
        )
        await store.add_report(Report("110000", "flexible", "tax", "calc", "", "下限不对", now))
        today = day_of(now)
        await store.add_counts({
            (today, "-", "start"): 5, (today, "-", "step:province"): 4, (today, "430100", "step:channel"): 3,
            (today, "430100", "step:instructions"): 2, (today, "430100", "open:calc"): 1,
            (today, "-", "unknown:我想交##年的"): 1, (today, "430100", "report"): 1,
        })  # fmt: skip
        await store.close()

    asyncio.run(go())


def test_reports_list_filter_and_close(store_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed()
    assert main(["reports"]) == 0
    out = capsys.readouterr().out
    assert out.index("北京市(110000)") < out.index("长沙市(430100)")  # newest first
    assert "#1" in out and "[open]" in out and "金额已调整" in out and "year 2025年度" in out
    assert main(["reports", "--region", "430000"]) == 0  # a province includes its cities
    out = capsys.readouterr().out
    assert "长沙市" in out and "北京" not in out
    assert main(["reports", "--close", "1"]) == 0 and "report #1 closed" in capsys.readouterr().out
    assert main(["reports", "--close", "1"]) == 1
    capsys.readouterr()
    assert main(["reports", "--open"]) == 0
    out = capsys.readouterr().out
    assert "下限不对" in out and "金额已调整" not in out
    assert main(["reports"]) == 0 and "[closed " in capsys.readouterr().out


def test_stats_and_stale(store_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed()
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "长沙市(430100)" in out and "calc" in out and "我想交##年的" in out
    assert "identity 1, province 1, channel 1" in out  # 5 started, 4 chose a place, 3 a channel, 2 a guide
    assert main(["flows", "stale"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[3]
    assert first.startswith("430100 长沙市  visits 2  open reports 1"), out[:400]


def test_freshness_marks_unknown_and_old_figures() -> None:
    catalog = load_catalog(Path(__file__).parents[1] / "flows")
    today = dt.date(2026, 12, 1)
    assert collecting_year(today) == 2027 and collecting_year(dt.date(2026, 2, 1)) == 2026
    rows = {r.code: r for r in freshness(catalog, [], {}, today)}
    assert "resident.amount" in rows["110000"].unknown  # Beijing's amount is not in the flows
    assert any(x.startswith("resident.amount 2025") for x in rows["430000"].old)
    later = {r.code: r for r in freshness(catalog, [], {}, dt.date(2026, 12, 1).replace(year=2020))}
    assert not any(x.startswith("resident.amount") for x in later["430000"].old)


def test_stats_text_without_counts() -> None:
    assert "(no counts kept yet)" in format_stats(stats_context(day_stats({}), None))
    assert dt.datetime.now(CHINA).date().isoformat() == day_of(time.time())
