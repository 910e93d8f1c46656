"""Every page, rendered on four days through a year, is honest about time and about its sources.

On each day (spring, the start of a collection, its last weeks, and February after most collections
closed) every instructions page, calculator and deadline answer of every region is rendered through the
real wizard with a fixed clock. No ended window may be presented as current, no figure may appear
without its coverage year, and nothing may claim to be verified. Combinations come from the shipped
flows, so a new file is covered automatically.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.catalog.loader import load_catalog
from bot.catalog.models import IDENTITIES, Window
from bot.catalog.timeline import collection_on, pattern_of
from bot.clock import FixedClock
from bot.events import Event
from bot.render import Renderer, html_to_text
from bot.wizard import Wizard
from tests.helpers.golden import render_path, slots_for
from tests.helpers.trees import FLOWS

_CATALOG = load_catalog(FLOWS)
DAYS = [dt.date(2026, 3, 1), dt.date(2026, 10, 15), dt.date(2026, 12, 20), dt.date(2027, 2, 10)]
PATHS = [
    (code, ident, ch)
    for code in sorted(_CATALOG.flows)
    for ident in IDENTITIES
    for ch in _CATALOG.channels(ident, code)[:1]  # figures and windows do not depend on the channel
]
EVENTS = [Event("show"), Event("calc", ""), Event("faq", "deadline")]
CN_DATE = re.compile(r"(20\d\d)年(\d{1,2})月(\d{1,2})日")
# Lines that state a figure: each must say which coverage year it is for (or that the page names none).
FIGURE_LINE = re.compile(r"^(?:(?:个人缴费|缴费基数.{0,2}|费率|可选.{0,4}|平均工资)：|• .*个人缴纳)")
HISTORY = ("往年", "已经结束", "已于", "结束")


def _dates(line: str) -> list[dt.date]:
    return [dt.date(int(y), int(m), int(d)) for y, m, d in CN_DATE.findall(line)]


def _section(text: str, title: str) -> str:
    m = re.search(rf"{title}\n(.*?)(?:\n\n|\Z)", text, re.S)
    return m.group(1) if m else ""


def _pages(day: dt.date) -> list[tuple[str, str]]:
    renderer = Renderer()
    wizard = Wizard(_CATALOG, renderer.labels, FixedClock(day))
    out = []
    for code, ident, ch in PATHS:
        slots = slots_for(_CATALOG, code, ident, ch)
        for event in EVENTS:
            _, markup = render_path(wizard, renderer, slots, event)
            out.append((f"{code}/{ident}/{event.action}:{event.value}", html_to_text(markup)))
    return out


@pytest.fixture(scope="module", params=DAYS, ids=[str(d) for d in DAYS])
def dated(request: pytest.FixtureRequest) -> tuple[dt.date, list[tuple[str, str]]]:
    return request.param, _pages(request.param)


def test_no_ended_window_is_shown_as_current(dated: tuple[dt.date, list[tuple[str, str]]]) -> None:
    today, pages = dated
    for where, text in pages:
        deadline = _section(text, "缴费期限")
        for line in deadline.splitlines():
            found = _dates(line)
            if "现在正在缴费" in line or "现在应在进行中" in line:
                assert found and max(found) >= today, f"{where}: an ended window shown as open: {line}"
                assert all(d <= today for d in found[:-1]), f"{where}: a window not yet open: {line}"
            elif any(d < today for d in found):
                assert any(w in line for w in HISTORY), f"{where}: a past date shown as current: {line}"


def test_every_figure_states_its_coverage_year(dated: tuple[dt.date, list[tuple[str, str]]]) -> None:
    _, pages = dated
    for where, text in pages:
        for line in text.splitlines():
            if FIGURE_LINE.match(line) and re.search(r"\d", line):
                assert re.search(r"20\d\d年度|年份不详|你发送|尚未收录", line), f"{where}: no year: {line}"


def test_an_earlier_years_amount_is_never_the_current_one(
    dated: tuple[dt.date, list[tuple[str, str]]],
) -> None:
    today, pages = dated
    for where, text in pages:
        for line in text.splitlines():
            m = re.match(r"个人缴费：[\d,.]+ 元/年（(?:约)?(20\d\d)年度", line)
            if m and "/resident/show" in where:
                paid_for = _paid_for(where.split("/")[0], today)
                if int(m.group(1)) < paid_for:
                    assert "往年数据" in line and f"{paid_for}年度个人缴费标准尚未收录" in line, (
                        f"{where}: {line}"
                    )


def test_nothing_claims_to_be_verified(dated: tuple[dt.date, list[tuple[str, str]]]) -> None:
    _, pages = dated
    for where, text in pages:
        assert "核实于" not in text, where
        for m in re.finditer(r".{0,6}核实", text):
            assert re.search(r"未经(官方)?核实|向当地核实|请.*核实", m.group(0)), f"{where}: {m.group(0)}"


def _paid_for(code: str, today: dt.date) -> int:
    figs = _CATALOG.flows[code].identities["resident"].figures
    window = figs.window if figs.window.known else _CATALOG.national.identities["resident"].figures.window
    assert window.value is not None and window.year is not None
    return collection_on(today, pattern_of(window.value, window.year)).year


@pytest.mark.parametrize(
    ("today", "state", "year"),
    [
        (dt.date(2026, 3, 1), "closed", 2026),
        (dt.date(2026, 10, 15), "open", 2027),
        (dt.date(2026, 12, 20), "open", 2027),
        (dt.date(2026, 12, 31), "open", 2027),
        (dt.date(2027, 1, 1), "closed", 2027),
        (dt.date(2027, 2, 10), "closed", 2027),
    ],
)
def test_national_custom_collects_next_year_from_september(today: dt.date, state: str, year: int) -> None:
    c = collection_on(today, pattern_of(Window(start=dt.date(2024, 9, 1), end=dt.date(2024, 12, 31)), 2025))
    assert (c.state, c.year) == (state, year)
    assert c.next_start > today


def test_a_window_into_february_is_still_open_in_february() -> None:
    into_feb = pattern_of(Window(start=dt.date(2024, 9, 1), end=dt.date(2025, 2, 28)), 2025)
    c = collection_on(dt.date(2027, 2, 10), into_feb)
    assert (c.state, c.year, c.end) == ("open", 2027, dt.date(2027, 2, 28))
    c = collection_on(dt.date(2027, 3, 1), into_feb)
    assert (c.state, c.year, c.next_year) == ("closed", 2027, 2028)


def test_a_window_without_start_starts_in_september() -> None:
    c = collection_on(dt.date(2026, 10, 1), pattern_of(Window(end=dt.date(2025, 2, 28)), 2025))
    assert (c.state, c.year, c.start) == ("open", 2027, dt.date(2026, 9, 1))
