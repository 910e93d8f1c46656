"""The one clock (bot/clock.py): "today" and "now" move together, for BOT_TODAY, the real time and the
clocks tests inject; the edges are midnight in Beijing and the turn of the year."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from bot.clock import CHINA, ENV_TODAY, SYSTEM_CLOCK, FixedClock, ManualClock, SystemClock, unix_time

UTC = dt.UTC


def real(moment: dt.datetime) -> SystemClock:
    return SystemClock(real=lambda: moment)


def test_real_time_is_china_time_so_the_year_turns_at_beijing_midnight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ENV_TODAY, raising=False)
    before = real(dt.datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC))  # 23:59:59 in Beijing
    after = real(dt.datetime(2026, 12, 31, 16, 0, tzinfo=UTC))  # 00:00 on 1 January in Beijing
    assert before.today() == dt.date(2026, 12, 31) and after.today() == dt.date(2027, 1, 1)
    assert after.now() == dt.datetime(2027, 1, 1, tzinfo=CHINA) and after.now().tzinfo is not None
    assert after.now().date() == after.today()


@pytest.mark.parametrize(
    "utc", [dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC), dt.datetime(2026, 12, 31, 15, 59, tzinfo=UTC)]
)
def test_bot_today_moves_now_to_that_date_at_the_real_time_of_day(
    monkeypatch: pytest.MonkeyPatch, utc: dt.datetime
) -> None:
    monkeypatch.setenv(ENV_TODAY, "2026-12-20")
    clock = real(utc)
    beijing = utc.astimezone(CHINA)
    assert clock.today() == dt.date(2026, 12, 20)
    assert clock.now() == dt.datetime.combine(dt.date(2026, 12, 20), beijing.timetz())
    assert clock.now().date() == clock.today() and clock.now().utcoffset() == dt.timedelta(hours=8)


def test_the_real_system_clock_agrees_with_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_TODAY, "2026-12-01")
    clock = SystemClock()
    assert clock.now().date() == clock.today() == dt.date(2026, 12, 1)
    # BOT_TODAY is read once, when the clock is made (not on every step); a malformed one is refused there.
    monkeypatch.setenv(ENV_TODAY, "2027-06-01")
    assert clock.today() == dt.date(2026, 12, 1) and SystemClock().today() == dt.date(2027, 6, 1)
    monkeypatch.setenv(ENV_TODAY, "2026-13-01")
    with pytest.raises(ValueError, match="BOT_TODAY='2026-13-01'"):
        SystemClock()


def test_the_suite_and_the_tools_read_bot_today_from_the_environment() -> None:
    """conftest sets BOT_TODAY before importing the bot: the shared clock was made with it."""
    assert SYSTEM_CLOCK.today() == dt.date.fromisoformat(os.environ[ENV_TODAY])
    out = subprocess.run(
        [sys.executable, "-c", "from bot.clock import SYSTEM_CLOCK; print(SYSTEM_CLOCK.today())"],
        capture_output=True, text=True, check=True, env={**os.environ, ENV_TODAY: "2031-02-03"},
    )  # fmt: skip
    assert out.stdout.strip() == "2031-02-03"


def test_fixed_clock_is_one_instant_noon_by_default() -> None:
    clock = FixedClock(dt.date(2026, 12, 1))
    assert clock.now() == dt.datetime(2026, 12, 1, 12, tzinfo=CHINA) and clock.today() == dt.date(2026, 12, 1)
    early = FixedClock(dt.date(2027, 1, 1), at=dt.time(0, 0))
    assert unix_time(early)() == dt.datetime(2026, 12, 31, 16, tzinfo=UTC).timestamp()


def test_manual_clock_moves_today_with_now_across_midnight() -> None:
    clock = ManualClock(dt.datetime(2026, 12, 31, 23, 59))  # naive: Beijing time
    assert clock.today() == dt.date(2026, 12, 31)
    clock.advance(dt.timedelta(minutes=1))
    assert clock.today() == dt.date(2027, 1, 1) and clock.now() == dt.datetime(2027, 1, 1, tzinfo=CHINA)
    clock.set(dt.datetime(2026, 12, 31, 16, 0, tzinfo=UTC))  # any zone: read in Beijing time
    assert clock.today() == dt.date(2027, 1, 1)
    seconds = unix_time(clock)
    clock.set(dt.datetime(2027, 6, 1, 10, 0))
    assert seconds() == dt.datetime(2027, 6, 1, 2, 0, tzinfo=UTC).timestamp()  # reads the clock each time


@pytest.mark.parametrize("fixed", ["", "2026-12-01", "1999-02-28", "2040-07-01"])
def test_unix_time_of_the_system_clock_is_its_now(monkeypatch: pytest.MonkeyPatch, fixed: str) -> None:
    """The fast path (no datetime per wizard step) gives the instant now() gives."""
    monkeypatch.setenv(ENV_TODAY, fixed)
    clock = SystemClock()
    seconds, moment = unix_time(clock)(), clock.now()
    assert abs(seconds - moment.timestamp()) < 1 or abs(abs(seconds - moment.timestamp()) - 86_400) < 1
    if fixed:  # that date, whatever the real one
        assert dt.datetime.fromtimestamp(seconds, CHINA).date() == dt.date.fromisoformat(fixed)
