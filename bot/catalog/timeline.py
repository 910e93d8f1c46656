"""Which coverage year is being collected on a given day, worked out from a region's collection window.

Pure date arithmetic, no I/O and no clock: callers pass ``today`` (from :mod:`bot.clock`).

A window seen for one coverage year (e.g. 2024-09-01..2024-12-31 for 2025) is read as a yearly pattern:
the same month and day, the same distance in years from the coverage year. Projected onto today it says
whether a collection is open now (and for which coverage year), or which one ended last and which one
starts next. A window whose start is unknown starts on 1 September of the year before the coverage
year, the national custom.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from bot.catalog.models import Window

DEFAULT_START = (9, 1)  # national custom: collection starts around 1 September of year N-1 for year N


@dataclass(frozen=True)
class Pattern:
    """A yearly collection window: (year offset from the coverage year, month, day) of start and end."""

    start: tuple[int, int, int]
    end: tuple[int, int, int]

    def window(self, year: int) -> tuple[dt.date, dt.date]:
        """The projected start and end dates of the collection for coverage year ``year``."""
        return _on(year, self.start), _on(year, self.end)


def _on(year: int, part: tuple[int, int, int]) -> dt.date:
    offset, month, day = part
    if month == 2 and day == 29:
        day = 28  # a 29 February window end, projected onto a common year
    return dt.date(year + offset, month, day)


def pattern_of(window: Window, year: int) -> Pattern:
    """The yearly pattern of ``window``, seen for coverage year ``year``."""
    end = window.end
    if window.start is not None:
        start = (window.start.year - year, window.start.month, window.start.day)
    else:
        start = (-1, *DEFAULT_START)
    if end.month == 2 and end.day == 29:
        end = end.replace(day=28)
    return Pattern(start, (end.year - year, end.month, end.day))


@dataclass(frozen=True)
class Collection:
    """The state of resident collection on one day.

    ``state`` is ``open`` (a collection runs today, for ``year``) or ``closed`` (none runs: ``year`` is
    the coverage year in force today, whose collection ended on ``ended``; the next one, for
    ``next_year``, starts on ``next_start``). Dates are projected from the pattern, so they are only as
    good as the window they come from.
    """

    state: Literal["open", "closed"]
    year: int  # the coverage year to pay for today: the one collected now, or the one in force
    start: dt.date  # projected start of that year's collection
    end: dt.date  # projected end of that year's collection
    next_year: int
    next_start: dt.date


def collection_on(today: dt.date, pattern: Pattern) -> Collection:
    """What is being collected on ``today`` under ``pattern``."""
    years = range(today.year - 2, today.year + 4)
    spans = {y: pattern.window(y) for y in years}
    open_years = [y for y, (s, e) in spans.items() if s <= today <= e]
    upcoming = min(y for y, (s, _) in spans.items() if s > today)
    if open_years:
        y = max(open_years)
        return Collection("open", y, *spans[y], upcoming, spans[upcoming][0])
    y = upcoming - 1  # the last collection that started has ended: its year is the one in force
    start, end = spans[y]
    return Collection("closed", y, start, end, upcoming, spans[upcoming][0])


def target_year(today: dt.date, window: Window | None, year: int | None) -> int:
    """The coverage year a resident paying on ``today`` pays for (the national custom without a window)."""
    if window is None or year is None:
        return collection_on(today, Pattern((-1, *DEFAULT_START), (-1, 12, 31))).year
    return collection_on(today, pattern_of(window, year)).year
