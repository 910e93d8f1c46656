"""The one clock: what "today" and "now" are for the bot (data-types layer; no other module reads the
system date or the time of day to decide anything).

Production uses the real time in China (Asia/Shanghai), so a message sent at 00:30 Beijing time on
1 January is already in the new year. ``BOT_TODAY=2026-12-20`` fixes the date for demos and tests (read
once, when the process first imports this module):
``today()`` is that date and ``now()`` is that date at the real time of day in China (so time still
moves within the day, and a reminder due at 10:00 on that date falls due at 10:00 real time; the day
never ends, after midnight the clock starts that same date again). Tests that move time pass a
:class:`FixedClock` (one instant) or a :class:`ManualClock` (an instant the test sets) wherever a clock
is taken: the wizard, and through it the Telegram application (reminders, counts, reports, /stats,
/flows), lint and coverage.

What stays off this clock, on purpose: purely technical timers read ``time.monotonic()`` or
``loop.time()`` (timeouts, retries, rate limits, the pacer, lock and claim expiry, durations measured
for ``make bench``), and a few timestamps read the real time because they record real events or are
compared with the real time by another party: the stores' ``saved_at`` stamps that retention deletes by
(a demo date must never make every session look years old), Telegram's signed Mini App ``auth_date``,
and when the catalog's files were read (``Catalog.loaded_at``, shown to admins).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
ENV_TODAY = "BOT_TODAY"
NOON = dt.time(12, 0)
_DAY = 86_400.0
_UTC_OFFSET = 8 * 3600.0
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()


class Clock(Protocol):
    """Anything that can say what date and time it is in China."""

    def today(self) -> dt.date:
        """Today's date in Asia/Shanghai (the date of :meth:`now`)."""
        ...

    def now(self) -> dt.datetime:
        """The current instant, timezone-aware, in Asia/Shanghai."""
        ...


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at one date (tests, demos, golden files); "now" is ``at`` (noon) on that date."""

    date: dt.date
    at: dt.time = NOON

    def today(self) -> dt.date:
        """The fixed date."""
        return self.date

    def now(self) -> dt.datetime:
        """The fixed date at ``at``, Beijing time."""
        return dt.datetime.combine(self.date, self.at, CHINA)


class ManualClock:
    """A clock that stands still until the test moves it (reminders falling due, a day passing)."""

    def __init__(self, moment: dt.datetime) -> None:
        self._moment = _aware(moment)

    def set(self, moment: dt.datetime) -> None:
        """From now on, "now" is ``moment`` (naive means Beijing time)."""
        self._moment = _aware(moment)

    def advance(self, delta: dt.timedelta) -> None:
        """Move "now" on by ``delta``."""
        self._moment += delta

    def today(self) -> dt.date:
        """The date of the current instant in China."""
        return self._moment.date()

    def now(self) -> dt.datetime:
        """The instant last set."""
        return self._moment


def _real_now() -> dt.datetime:
    return dt.datetime.now(CHINA)


class SystemClock:
    """The real date and time in Asia/Shanghai, or ``BOT_TODAY`` (YYYY-MM-DD) at the real time of day.
    ``real`` is where the real time comes from (tests of this class pass their own).

    ``BOT_TODAY`` is read once, when the clock is made (:data:`SYSTEM_CLOCK`: when this module is first
    imported), not on every reading: the wizard reads the clock on every step. A malformed value is refused
    there (ValueError naming the setting)."""

    def __init__(self, real: Callable[[], dt.datetime] = _real_now) -> None:
        self.real = real
        self.fixed = _fixed_date()
        # BOT_TODAY's distance from the real date is recomputed per reading (the real day moves on).
        self._fixed_day = self.fixed.toordinal() - _EPOCH_DAY if self.fixed is not None else 0

    def today(self) -> dt.date:
        """Today in China (or the date ``BOT_TODAY`` names)."""
        fixed = self.fixed
        return fixed if fixed is not None else self.real().astimezone(CHINA).date()

    def now(self) -> dt.datetime:
        """Now in China; with ``BOT_TODAY`` set, that date at the real time of day."""
        real, fixed = self.real().astimezone(CHINA), self.fixed
        return real if fixed is None else dt.datetime.combine(fixed, real.timetz())

    def unix(self) -> float:
        """:meth:`now` as Unix time, without building a datetime (read on every wizard step)."""
        if self.real is not _real_now:
            return self.now().timestamp()
        now = time.time()
        if self.fixed is None:
            return now
        real_day = (now + _UTC_OFFSET) // _DAY  # days since 1970-01-01 in Beijing (always UTC+8 since 1991)
        return now + (self._fixed_day - real_day) * _DAY


def unix_time(clock: Clock) -> Callable[[], float]:
    """``clock``'s "now" as Unix time, for code that keeps instants as numbers (reminders' due times,
    usage counts per day, feedback reports)."""
    if isinstance(clock, SystemClock):
        return clock.unix
    return lambda: clock.now().timestamp()


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date; ValueError names the setting when it is malformed."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{ENV_TODAY}={text!r}: expected a date such as 2026-12-20") from None


def _fixed_date() -> dt.date | None:
    fixed = os.environ.get(ENV_TODAY, "").strip()
    return parse_date(fixed) if fixed else None


def _aware(moment: dt.datetime) -> dt.datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=CHINA)).astimezone(CHINA)


SYSTEM_CLOCK: Clock = SystemClock()
SYSTEM_UNIX_TIME: Callable[[], float] = unix_time(
    SYSTEM_CLOCK
)  # the default "now" of code keeping Unix times
