"""When to remind: dates offered to residents and flexible employees, and what is still worth sending.

Residents are reminded before the end of the collection window for the coverage year being collected.
The end date comes from the region's ``period`` figure when it names a window with dates that has not
ended yet; otherwise (unknown, or only an ended year's window is known) sensible dates are offered and
the user is told they are not the official deadline. Flexible employees pay monthly: they pick a day of
the month. Every reminder goes out at :data:`REMIND_AT` Beijing time; all times are stored as Unix time.

Pure functions of the catalog, the slots and "now" (a Unix time from the bot's one clock).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.catalog.catalog import Catalog
from bot.catalog.timeline import Collection, collecting_next, resident_collection
from bot.store.reminders import Reminder

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # China has no daylight saving time
REMIND_AT = dt.time(10, 0)  # Beijing time of every reminder
DAY = 86_400.0
MONTHLY_DAYS: tuple[int, ...] = (5, 10, 15, 20, 25)  # days offered as buttons (any 1-31 may be typed)
MONTHLY_GRACE = 7 * DAY  # a monthly reminder found this late (the bot was down) is still sent
UNKNOWN_GRACE = 7 * DAY  # likewise a resident's reminder on a date that is not the official deadline
OPEN_DAYS_BEFORE_END = (21, 11)  # unconfirmed deadline, collection open: days before the projected end
CLOSED_DAYS_AFTER_START = (9, 39, 70)  # collection closed: days after the next one opens


@dataclass(frozen=True)
class Option:
    """One date a reminder may be set for. ``code`` goes into a button (``d20261210``, ``m10``)."""

    code: str
    due: float
    useful_until: float
    day: int = 0
    year: int = 0
    official: bool = False


@dataclass(frozen=True)
class Window:
    """The end of a collection window read from the content, with the coverage year it is for."""

    end: dt.date
    year: int
    official: bool


def beijing(ts: float) -> dt.datetime:
    """Unix time as Beijing time."""
    return dt.datetime.fromtimestamp(ts, BEIJING)


def at_ten(day: dt.date) -> float:
    """Unix time of :data:`REMIND_AT` on ``day`` in Beijing."""
    return dt.datetime.combine(day, REMIND_AT, BEIJING).timestamp()


def end_of(day: dt.date) -> float:
    """Unix time of the last second of ``day`` in Beijing."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), BEIJING).timestamp()


def region_of(slots: Mapping[str, str]) -> str:
    """The most specific region in ``slots`` (empty when none)."""
    return slots.get("city") or slots.get("province", "")


def collection(catalog: Catalog, slots: Mapping[str, str], today: dt.date) -> Collection:
    """The resident collection on ``today`` for the region in ``slots``, by the rule the pages use
    (:func:`bot.catalog.timeline.resident_collection`: the region's window, else the national one)."""
    national = catalog.national.identities["resident"].figures.window
    flow = catalog.flows.get(region_of(slots))
    ident = flow.identities.get("resident") if flow else None
    return resident_collection(today, ident.figures.window if ident else None, national)


def window(catalog: Catalog, slots: Mapping[str, str], today: dt.date) -> Window | None:
    """The resident collection window's end from the region's ``window`` figure, when it is the window of
    the coverage year being collected on ``today`` and has not ended (an ended window is history, never
    the deadline; a window recorded for an earlier year says nothing certain about this one)."""
    flow = catalog.flows.get(region_of(slots))
    ident = flow.identities.get("resident") if flow else None
    if ident is None or not ident.figures.window.known:
        return None
    fig = ident.figures.window
    if fig.value is None or fig.year is None:
        return None
    c = resident_collection(today, fig)
    if c.state != "open" or c.year != fig.year or fig.value.end < today:
        return None
    return Window(fig.value.end, fig.year, fig.source_kind == "official")


def _date_code(day: dt.date) -> str:
    return f"d{day:%Y%m%d}"


def resident_options(
    catalog: Catalog, slots: Mapping[str, str], now: float
) -> tuple[Window | None, list[Option]]:
    """The window (if known) and up to three future dates to remind a resident on, soonest first."""
    today = beijing(now).date()
    win = window(catalog, slots, today)
    if win is not None:
        days = [win.end - dt.timedelta(days=n) for n in (14, 7, 2)]
        until, year = end_of(win.end), win.year
        picks = [(d, until) for d in days]
    else:
        # No confirmed deadline: dates from the projected window (the region's recorded one, else the
        # national custom of 1 September to 31 December), for the coverage year collected now or next.
        c = collection(catalog, slots, today)
        year = collecting_next(c)
        if c.state == "open":  # three and one and a half weeks before the projected end (10 and 20 Dec)
            days = [c.end - dt.timedelta(days=n) for n in OPEN_DAYS_BEFORE_END]
        else:  # between seasons: soon after the next collection opens (10 Sep, 10 Oct, 10 Nov)
            days = [c.next_start + dt.timedelta(days=n) for n in CLOSED_DAYS_AFTER_START]
        days.append(today + dt.timedelta(days=7))
        picks = [(d, at_ten(d) + UNKNOWN_GRACE) for d in days]
    out: dict[str, Option] = {}
    for d, until in sorted(picks):
        due = at_ten(d)
        if due > now + 3600 and due < until:
            out[_date_code(d)] = Option(_date_code(d), due, until, 0, year, win is not None and win.official)
    return win, list(out.values())[:3]


def next_monthly(day: int, after: float) -> float:
    """The first :data:`REMIND_AT` on day ``day`` of a month (the month's last day when shorter) after
    ``after``."""
    t = beijing(after)
    year, month = t.year, t.month
    for _ in range(3):
        last = calendar.monthrange(year, month)[1]
        due = at_ten(dt.date(year, month, min(day, last)))
        if due > after:
            return due
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise AssertionError("unreachable: a later month always has the day")


def monthly_option(day: int, now: float) -> Option:
    """A monthly reminder on ``day`` (1-31), first due after ``now``."""
    due = next_monthly(day, now)
    return Option(f"m{day}", due, due + MONTHLY_GRACE, day)


def monthly_options(now: float) -> list[Option]:
    """The monthly days offered as buttons."""
    return [monthly_option(d, now) for d in MONTHLY_DAYS]


def find_option(catalog: Catalog, slots: Mapping[str, str], code: str, now: float) -> Option | None:
    """The option a button or a typed request names, checked against what is offered now."""
    if code.startswith("m") and code[1:].isdigit() and 1 <= int(code[1:]) <= 31:
        return monthly_option(int(code[1:]), now)
    if code.startswith("d"):
        return next((o for o in resident_options(catalog, slots, now)[1] if o.code == code), None)
    return None


def make_reminder(chat_id: int, slots: Mapping[str, str], option: Option) -> Reminder:
    """The reminder for ``option``: monthly ones are kept under ``flex``, dated ones under ``res``."""
    key = "flex" if option.day else "res"
    identity = "flexible" if option.day else "resident"
    kept = {k: v for k, v in slots.items() if k in ("province", "city", "channel")}
    return Reminder(
        chat_id,
        key,
        option.due,
        option.useful_until,
        {"identity": identity, **kept},
        option.day,
        option.year,
        option.official,
    )


def after_delivery(reminder: Reminder, now: float) -> Reminder | None:
    """What is kept once the reminder went out (or was dropped): a monthly one moves to its next date."""
    if not reminder.day:
        return None
    due = next_monthly(reminder.day, max(now, reminder.due))
    return Reminder(
        reminder.chat_id,
        reminder.key,
        due,
        due + MONTHLY_GRACE,
        reminder.slots,
        reminder.day,
        reminder.year,
        reminder.official,
    )


def still_useful(reminder: Reminder, now: float) -> bool:
    """True while sending the reminder still helps (before the deadline or the grace period ends)."""
    return now <= reminder.useful_until


def when(ts: float) -> dict[str, int | str]:
    """A Beijing date and time for templates: year, month, day, weekday (0 Monday) and ``HH:MM``."""
    t = beijing(ts)
    return {"y": t.year, "m": t.month, "d": t.day, "wd": t.weekday(), "hm": f"{t:%H:%M}"}


def day_date(day: dt.date) -> dict[str, int]:
    """A date for templates."""
    return {"y": day.year, "m": day.month, "d": day.day, "wd": day.weekday()}
