"""Every region x identity x channel x follow-up renders a complete, honest page (one test per region).

Checks: numbered steps, the region's own channel names, no null figure shown as "None" or an empty value,
and every cited figure's source listed on the same page with what kind of source it is. Combinations come from
the shipped flows at collection time, so a new flow file is covered automatically.
"""

from __future__ import annotations

import re

import pytest

from bot.catalog.loader import load_catalog
from bot.catalog.models import IDENTITIES
from bot.events import Event
from bot.render import Renderer
from bot.testing.html_check import telegram_html_errors
from bot.wizard import Wizard
from tests.helpers.golden import followups, render_path, slots_for
from tests.helpers.trees import FLOWS
from tests.helpers.typography import typography_problems

_CATALOG = load_catalog(FLOWS)
COMBINATIONS = [
    (code, ident, ch)
    for code in sorted(_CATALOG.flows)
    for ident in IDENTITIES
    for ch in _CATALOG.channels(ident, code)
]
# Named in the brief but not confirmed by any gathered source (shared/domain/channels.md §7).
UNCONFIRMED_APPS = (
    "北京通", "津心办", "晋来办", "辽事通", "吉事办", "黑龙江全省事", "随申办", "苏服办", "渝快办",
    "天府通办", "贵人服务", "甘快办", "青松办", "桂通办", "海易办", "西藏政务", "新疆政务服务",
)  # fmt: skip
EMPTY_VALUE = re.compile(r"[:\uff1a]\s*(?:元|%|\(|\uff08)|<b>\s*</b>|\(\s*\)|\uff08\s*\uff09|\[\s*\]")


def _check_citations(text: str, listing: str | None = None) -> None:
    """Every [n] in ``text`` has a source line in ``listing`` (the page itself by default)."""
    listing = text if listing is None else listing
    listed = dict(re.findall(r"^\[(\d+)\] .*（(官方[^）]*|新闻报道[^）]*|网络资料[^）]*)）$", listing, re.M))
    cited = set(re.findall(r"\[(\d+)\]", text))
    assert cited <= set(listed), f"cited without a source line: {sorted(cited - set(listed))}"


def test_at_least_40_cities_and_all_provinces() -> None:
    assert len(_CATALOG.provinces) == 31
    assert all(p.file for p in _CATALOG.provinces), "every province has its own flow file"
    assert sum(r.parent is not None for r in _CATALOG.regions.values()) >= 40


def test_there_are_many_combinations() -> None:
    assert len(COMBINATIONS) >= len(_CATALOG.flows) * 2 * 4


@pytest.mark.parametrize("code", sorted(_CATALOG.flows))
def test_every_path_renders(code: str, renderer: Renderer) -> None:
    """Each identity x channel of the region: the guide and every follow-up page."""
    wizard = Wizard(_CATALOG, renderer.labels)
    for _, identity, channel in (c for c in COMBINATIONS if c[0] == code):
        _check_path(wizard, renderer, code, identity, channel)


def _check_path(wizard: Wizard, renderer: Renderer, code: str, identity: str, channel: str) -> None:
    where = f"{code} {identity} {channel}"
    slots = slots_for(_CATALOG, code, identity, channel)
    ch = _CATALOG.channel(identity, code, channel)
    assert ch is not None
    _view, text = render_path(wizard, renderer, slots, Event("show"))
    assert re.search(r"^1\. \S", text, re.M) and re.search(r"^2\. \S", text, re.M), f"numbered steps: {where}"
    assert ch.title in text.replace("&gt;", ">"), f"the region's own channel name: {where}"
    _more_view, more = render_path(wizard, renderer, slots, Event("more"))
    assert "核实于" not in text + more, f"nothing was compared with an official notice: {where}"
    assert re.search(r"^\[\d+\] .*（(官方|新闻报道|网络资料)", more, re.M), f"the steps' source line: {where}"
    assert "12393" in more and "以当地通知为准" in more, where
    pages = [text]
    for action, value in followups():
        fview, ftext = render_path(wizard, renderer, slots, Event(action, value))
        assert fview.parts[-1].template in ("calc", "faq", "guide_more"), where
        pages.append(ftext)
    _check_citations(text, more)  # the first message cites sources listed one tap away
    for page in pages[1:]:
        _check_citations(page)
    for page in pages:
        for marker in ("None", "Undefined", "{{", "}}", "{%", "%}", "NaN"):
            assert marker not in page, f"{marker!r} on a page of {where}"
        assert not EMPTY_VALUE.search(page), (where, EMPTY_VALUE.search(page))
        assert telegram_html_errors(page) == [], where
        assert len(page) <= 4096, f"Telegram message limit: {where}"
        assert not typography_problems(page), (where, typography_problems(page)[:3])
        for name in UNCONFIRMED_APPS:
            assert name not in page, f"{name} is not a confirmed channel ({where})"


@pytest.mark.parametrize("code", [p.code for p in _CATALOG.provinces])
def test_province_names_its_own_channels(code: str) -> None:
    """Every province file defines channels (or, where none could be verified, figures) of its own."""
    flow, national = _CATALOG.flows[code], _CATALOG.national
    own_channels = [
        (i, c)
        for i in IDENTITIES
        for c, ch in flow.identities[i].channels.items()
        if ch != national.identities[i].channels.get(c)
    ]
    own_figures = [i for i in IDENTITIES if flow.identities[i].figures != national.identities[i].figures]
    assert own_channels or own_figures, f"{code} states nothing of its own"
