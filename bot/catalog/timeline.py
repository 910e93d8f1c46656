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

from bot.catalog.models import Figure, Window

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


# The national custom when no window is recorded: 1 September to 31 December of year N-1 for year N.
NATIONAL_CUSTOM = Pattern((-1, *DEFAULT_START), (-1, 12, 31))


def target_year(today: dt.date, window: Window | None, year: int | None) -> int:
    """The coverage year a resident paying on ``today`` pays for (the national custom without a window)."""
    if window is None or year is None:
        return collection_on(today, NATIONAL_CUSTOM).year
    return collection_on(today, pattern_of(window, year)).year


def resident_pattern(window: Figure[Window] | None, national: Figure[Window] | None = None) -> Pattern:
    """A region's yearly collection pattern: its recorded ``window`` figure when known, else the national
    one, else :data:`NATIONAL_CUSTOM` (also when the chosen figure has no dates or no year)."""
    fig = window if window is not None and window.known else national
    if fig is not None and fig.known and fig.value is not None and fig.year is not None:
        return pattern_of(fig.value, fig.year)
    return NATIONAL_CUSTOM


def resident_collection(
    today: dt.date, window: Figure[Window] | None, national: Figure[Window] | None = None
) -> Collection:
    """The resident collection on ``today`` under the region's pattern (see :func:`resident_pattern`)."""
    return collection_on(today, resident_pattern(window, national))


def coverage_year(
    today: dt.date,
    identity: str,
    window: Figure[Window] | None = None,
    national: Figure[Window] | None = None,
) -> int:
    """The one rule for the year figures are compared with on ``today``.

    Residents: the coverage year collected today, or in force when no collection runs (the region's
    window, else the national one, else the national custom). Flexible employees pay monthly on bases
    that change every January: the calendar year.
    """
    if identity != "resident":
        return today.year
    return resident_collection(today, window, national).year


def collecting_next(c: Collection) -> int:
    """The coverage year collected now, or next when no collection runs (what a reminder is for)."""
    return c.year if c.state == "open" else c.next_year
