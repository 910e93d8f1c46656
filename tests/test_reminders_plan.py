"""Reminder dates with an injected clock: residents (known and unknown windows), flexible employees
(monthly, short months), lateness after an outage, and typed requests."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.catalog.loader import load_catalog
from bot.reminders.plan import (
    BEIJING,
    after_delivery,
    beijing,
    find_option,
    make_reminder,
    monthly_option,
    next_monthly,
    resident_options,
    still_useful,
    window,
)
from bot.reminders.typed import ReminderRequest, parse_request
from tests.helpers.trees import flows_tree, window_file


def bj(y: int, m: int, d: int, h: int = 12) -> float:
    return dt.datetime(y, m, d, h, tzinfo=BEIJING).timestamp()


RES = {"identity": "resident", "province": "430000", "city": "430100", "channel": "wechat"}


def test_unknown_window_offers_sensible_dates_not_called_official(catalog) -> None:
    now = bj(2026, 12, 1)
    win, options = resident_options(catalog, RES, now)
    assert win is None  # the shipped content knows no window for the 2027 coverage year
    days = [beijing(o.due).date() for o in options]
    assert days == [dt.date(2026, 12, 8), dt.date(2026, 12, 10), dt.date(2026, 12, 20)]
    assert all(beijing(o.due).time() == dt.time(10, 0) for o in options)
    assert all(o.year == 2027 and not o.official for o in options)
    # Late December: only the dates still ahead.
    late = [beijing(o.due).date() for o in resident_options(catalog, RES, bj(2026, 12, 15))[1]]
    assert late == [dt.date(2026, 12, 20), dt.date(2026, 12, 22)]
    # Between seasons: when the next collection opens.
    summer = [beijing(o.due).date() for o in resident_options(catalog, RES, bj(2027, 5, 1))[1]]
    assert summer == [dt.date(2027, 5, 8), dt.date(2027, 9, 10), dt.date(2027, 10, 10)]


def test_ended_window_is_history_and_a_current_one_is_the_deadline(tmp_path, catalog) -> None:
    ended = {"identity": "resident", "province": "530000", "channel": "wechat"}  # Yunnan: 2025年度 window
    assert window(catalog, ended, dt.date(2026, 12, 1)) is None
    root = flows_tree(
        tmp_path,
        {"regions/110000-beijing.yaml": window_file("110000", "北京市", "2026-09-01", "2026-12-31", 2027)},
    )
    cat = load_catalog(root)
    slots = {"identity": "resident", "province": "110000", "channel": "wechat"}
    win, options = resident_options(cat, slots, bj(2026, 12, 1))
    assert win is not None and win.end == dt.date(2026, 12, 31) and win.year == 2027 and win.official
    assert [beijing(o.due).date().day for o in options] == [17, 24, 29]
    assert all(
        o.useful_until == dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=BEIJING).timestamp() for o in options
    )
    assert find_option(cat, slots, "d20261224", bj(2026, 12, 1)) is not None
    assert find_option(cat, slots, "d20261225", bj(2026, 12, 1)) is None  # not offered
    assert window(cat, slots, dt.date(2027, 1, 1)) is None  # the day after it ended


@pytest.mark.parametrize(
    ("day", "now", "expected"),
    [
        (10, bj(2026, 12, 1), dt.date(2026, 12, 10)),
        (1, bj(2026, 12, 1, 9), dt.date(2026, 12, 1)),  # today, before 10:00
        (1, bj(2026, 12, 1, 11), dt.date(2027, 1, 1)),  # today, after 10:00: next month
        (31, bj(2027, 2, 1), dt.date(2027, 2, 28)),  # a short month: its last day
        (31, bj(2027, 2, 28, 11), dt.date(2027, 3, 31)),
    ],
)
def test_monthly_dates(day: int, now: float, expected: dt.date) -> None:
    due = next_monthly(day, now)
    assert beijing(due).date() == expected and beijing(due).hour == 10


def test_monthly_reminder_moves_on_and_a_late_one_is_dropped() -> None:
    now = bj(2026, 12, 1)
    r = make_reminder(
        7, {"identity": "flexible", "province": "430000", "channel": "tax"}, monthly_option(10, now)
    )
    assert r.key == "flex" and r.day == 10 and dict(r.slots)["identity"] == "flexible"
    assert still_useful(r, r.due + 3 * 86_400)  # the bot was down three days: still worth sending
    assert not still_useful(r, r.due + 8 * 86_400)
    nxt = after_delivery(r, r.due + 60)
    assert nxt is not None and beijing(nxt.due).date() == dt.date(2027, 1, 10)


def test_one_off_reminder_is_gone_after_delivery(catalog) -> None:
    option = resident_options(catalog, RES, bj(2026, 12, 1))[1][0]
    r = make_reminder(7, RES, option)
    assert r.key == "res" and r.year == 2027 and after_delivery(r, r.due) is None
    assert not still_useful(r, r.useful_until + 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到时候提醒我", ReminderRequest()),
        ("提醒我缴费", ReminderRequest()),
        ("每月10号提醒我", ReminderRequest(day=10)),
        ("每个月十五日提醒我交医保", ReminderRequest(day=15)),
        ("每月二十号提醒我", ReminderRequest(day=20)),
        ("我的提醒", ReminderRequest(list=True)),
        ("取消提醒", ReminderRequest(list=True)),
        ("怎么缴费", None),
        ("提醒", None),
        ("长沙 微信", None),
        ("提醒列表", ReminderRequest(list=True)),
        ("查看一下缴费提醒", ReminderRequest(list=True)),
        ("删除一下我的提醒", ReminderRequest(list=True)),
        ("每月三十一号提醒我", ReminderRequest(day=31)),
        ("每月32号提醒我", ReminderRequest()),
        ("12月20号前提醒我交", ReminderRequest(day=20)),
        ("每月 8 号 提醒我", ReminderRequest(day=8)),
        ("提醒功能怎么用", None),
    ],
)
def test_typed_requests(catalog, text: str, expected: ReminderRequest | None) -> None:
    assert parse_request(text, catalog.vocabulary.reminder_requests) == expected
