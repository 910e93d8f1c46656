"""The one clock: what "today" is for the bot (data-types layer; no other module reads the system date).

Production uses the real date in China (Asia/Shanghai), so a message sent at 00:30 Beijing time on
1 January is already in the new year. ``BOT_TODAY=2026-12-20`` fixes the date for demos and tests; tests
can also pass :class:`FixedClock` wherever a clock is taken (the wizard, lint, coverage).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
ENV_TODAY = "BOT_TODAY"


class Clock(Protocol):
    """Anything that can say what date it is in China."""

    def today(self) -> dt.date:
        """Today's date in Asia/Shanghai."""
        ...


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at one date (tests, demos, golden files)."""

    date: dt.date

    def today(self) -> dt.date:
        """The fixed date."""
        return self.date


class SystemClock:
    """The real date in Asia/Shanghai, or ``BOT_TODAY`` (YYYY-MM-DD) when that is set."""

    def today(self) -> dt.date:
        """Today in China (or the date ``BOT_TODAY`` names)."""
        fixed = os.environ.get(ENV_TODAY, "").strip()
        if fixed:
            return parse_date(fixed)
        return dt.datetime.now(CHINA).date()


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date; ValueError names the setting when it is malformed."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{ENV_TODAY}={text!r}: expected a date such as 2026-12-20") from None


SYSTEM_CLOCK: Clock = SystemClock()
