"""One coverage-year rule (``bot.catalog.timeline``) on the edge days, and everyone using it agrees:
the pages, the lint, ``flows stale`` (freshness) and the reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.catalog.models import Figure, Window
from bot.catalog.timeline import (
    NATIONAL_CUSTOM,
    collecting_next,
    collection_on,
    coverage_year,
    resident_collection,
)
from bot.clock import FixedClock
from bot.pages.instructions import target_of
from bot.reminders.plan import BEIJING, beijing, resident_options
from bot.tools.freshness import collecting_year, freshness
from tests.helpers.trees import flows_tree, window_file

D = dt.date


def _window(start: D, end: D, year: int) -> Figure[Window]:
    return Figure[Window].model_validate(
        {
            "value": {"start": start, "end": end},
            "year": year,
            "source": "test notice",
            "source_kind": "official",
            "retrieved": D(2026, 11, 20),
        }
    )


# Recorded for 2026: 15 September 2025 to 28 February 2026; projected onto every year.
FEBRUARY = _window(D(2025, 9, 15), D(2026, 2, 28), 2026)


@pytest.mark.parametrize(
    ("today", "state", "year", "next_year"),
    [
        (D(2026, 8, 31), "closed", 2026, 2027),  # the day before collection opens: 2026 in force
        (D(2026, 9, 1), "open", 2027, 2027),  # the window opens
        (D(2026, 12, 31), "open", 2027, 2027),  # the window's last day
        (D(2027, 1, 1), "closed", 2027, 2028),  # the year turns: 2027 in force, 2028 next
    ],
)
def test_national_custom_on_edge_days(today: D, state: str, year: int, next_year: int) -> None:
    c = collection_on(today, NATIONAL_CUSTOM)
    assert (c.state, c.year, collecting_next(c)) == (state, year, next_year)
    assert coverage_year(today, "resident") == year
    assert collecting_year(today) == year  # freshness's header says the same


@pytest.mark.parametrize(
    ("today", "state", "year", "next_year"),
    [
        (D(2026, 9, 14), "closed", 2026, 2027),
        (D(2026, 9, 15), "open", 2027, 2027),
        (D(2027, 1, 1), "open", 2027, 2027),  # the year turns inside the window
        (D(2027, 2, 28), "open", 2027, 2027),
        (D(2027, 3, 1), "closed", 2027, 2028),
    ],
)
def test_a_window_into_february_on_edge_days(today: D, state: str, year: int, next_year: int) -> None:
    c = resident_collection(today, FEBRUARY)
    assert (c.state, c.year, collecting_next(c)) == (state, year, next_year)
    assert coverage_year(today, "resident", FEBRUARY) == year


def test_the_region_window_comes_first_then_the_national_one() -> None:
    unknown = Figure[Window].model_validate({"value": None})
    assert coverage_year(D(2026, 9, 10), "resident", unknown, FEBRUARY) == 2026
    assert coverage_year(D(2026, 9, 10), "resident", unknown, None) == 2027
    assert coverage_year(D(2026, 9, 10), "resident", FEBRUARY, None) == 2026


@pytest.mark.parametrize("today", [D(2026, 12, 31), D(2027, 1, 1)])
def test_flexible_employees_pay_for_the_calendar_year(today: D) -> None:
    assert coverage_year(today, "flexible", FEBRUARY) == today.year


# ----- everyone agrees -------------------------------------------------------------------------------

FEB_REGION = window_file("110000", "北京市", "2025-09-15", "2026-02-28", 2026)
# Tianjin records the window for 2027 itself (the lint would flag one for 2026 on every day after it).
FEB_2027_REGION = window_file("120000", "天津市", "2026-09-15", "2027-02-28", 2027)
BEIJING_RES = {"identity": "resident", "province": "110000", "channel": "wechat"}
HUNAN_RES = {"identity": "resident", "province": "430000", "city": "430100", "channel": "wechat"}


@pytest.fixture(scope="module")
def feb_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    files = {"regions/110000-beijing.yaml": FEB_REGION, "regions/120000-tianjin.yaml": FEB_2027_REGION}
    return load_catalog(flows_tree(tmp_path_factory.mktemp("feb"), files))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2027, 2, 28), 2027),  # the window's last day
        (D(2027, 3, 1), 2027),  # closed: 2027 in force
        (D(2027, 9, 14), 2027),  # the national custom would already say 2028 (collection opened 1 September)
        (D(2027, 9, 15), 2028),  # the region's next collection opens
    ],
)
def test_pages_freshness_and_lint_compare_with_the_same_year(
    feb_catalog: Catalog, today: D, expected: int
) -> None:
    window = feb_catalog.flows["120000"].identities["resident"].figures.window
    assert coverage_year(today, "resident", window) == expected
    page_year, _ = target_of(feb_catalog, feb_catalog.flows["120000"], "resident", today)
    assert page_year == expected
    row = next(r for r in freshness(feb_catalog, [], {}, today) if r.code == "120000")
    old = [x for x in row.old if x.startswith("resident.window")]
    # The recorded window is for 2027: old exactly when the year compared with is later.
    assert old == ([f"resident.window 2027<{expected}"] if expected > 2027 else [])
    lint = load_catalog(feb_catalog.root, today=today).warnings
    flagged = [w for w in lint if w.field == "identities.resident.figures.window.year" and "120000" in w.file]
    assert bool(flagged) == (expected > 2027)


def _bj(day: D, hour: int = 12) -> float:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING).timestamp()


@pytest.mark.parametrize(
    ("today", "year", "dates"),
    [
        # National custom (Changsha's window is a 2025 one, 1 September to 31 December).
        (D(2026, 8, 31), 2027, [D(2026, 9, 7), D(2026, 9, 10), D(2026, 10, 10)]),
        (D(2026, 9, 1), 2027, [D(2026, 9, 8), D(2026, 12, 10), D(2026, 12, 20)]),
        (D(2026, 12, 31), 2027, [D(2027, 1, 7)]),
        (D(2027, 1, 1), 2028, [D(2027, 1, 8), D(2027, 9, 10), D(2027, 10, 10)]),
    ],
)
def test_reminder_year_and_dates_follow_the_timeline(
    catalog: Catalog, today: D, year: int, dates: list[D]
) -> None:
    win, options = resident_options(catalog, HUNAN_RES, _bj(today))
    assert win is None
    assert [beijing(o.due).date() for o in options] == dates
    assert all(o.year == year and not o.official for o in options)


@pytest.mark.parametrize(
    ("today", "year", "dates"),
    [
        # A projected (unconfirmed) window into February: dates before its projected end.
        (D(2027, 2, 1), 2027, [D(2027, 2, 7), D(2027, 2, 8), D(2027, 2, 17)]),
        # It closed: the next collection, for 2028, opens on 15 September.
        (D(2027, 3, 1), 2028, [D(2027, 3, 8), D(2027, 9, 24), D(2027, 10, 24)]),
    ],
)
def test_reminders_use_the_regions_projected_window(
    feb_catalog: Catalog, today: D, year: int, dates: list[D]
) -> None:
    win, options = resident_options(feb_catalog, BEIJING_RES, _bj(today))
    assert win is None  # recorded for 2026: not the deadline of 2027's collection
    assert [beijing(o.due).date() for o in options] == dates
    assert all(o.year == year for o in options)


def test_the_wizard_clock_gives_the_pages_their_year(catalog: Catalog) -> None:
    for today in (D(2026, 12, 31), D(2027, 1, 1)):
        clock = FixedClock(today)
        year, _ = target_of(catalog, catalog.flows["430100"], "resident", clock.today())
        assert year == coverage_year(
            today, "resident", catalog.flows["430100"].identities["resident"].figures.window
        )
