"""Content bugs found by reading every rendered page, each guarded by rendering every page again.

The hotline variable (12393, never 12366), ranges shown as a range, place words on province and
municipality pages, operator notes that must always show, tips of one identity that must not reach the
other, and the calculator that takes a typed local rate. Regions come from the shipped flows.
"""

from __future__ import annotations

import re

import pytest

from bot.catalog.flowstrings import flow_context, flow_text
from bot.catalog.loader import load_catalog
from bot.catalog.models import IDENTITIES
from bot.events import Event
from bot.render import Renderer, html_to_text
from bot.wizard import Wizard
from tests.helpers.golden import render_path, slots_for
from tests.helpers.trees import FLOWS

_CATALOG = load_catalog(FLOWS)
MUNICIPALITIES = ("110000", "120000", "310000", "500000")
COMBINATIONS = [
    (code, ident, ch)
    for code in sorted(_CATALOG.flows)
    for ident in IDENTITIES
    for ch in _CATALOG.channels(ident, code)
]


@pytest.fixture(scope="module")
def pages() -> dict[tuple[str, str, str], dict[str, str]]:
    """Every instructions page with its calculator and deadline answer, as plain text; "show" is the
    whole guide: its first message and the "more" page one tap below it."""
    renderer = Renderer()
    wizard = Wizard(_CATALOG, renderer.labels)
    out = {}
    for code, ident, ch in COMBINATIONS:
        slots = slots_for(_CATALOG, code, ident, ch)
        texts = {
            name: html_to_text(render_path(wizard, renderer, slots, event)[1])
            for name, event in (
                ("show", Event("show")),
                ("more", Event("more")),
                ("calc", Event("calc", "")),
                ("deadline", Event("faq", "deadline")),
            )
        }
        texts["show"] += "\n" + texts.pop("more")
        out[(code, ident, ch)] = texts
    return out


def test_the_hotline_variable_is_the_medical_insurance_line() -> None:
    for code in _CATALOG.flows:
        number = flow_context(_CATALOG, code)["hotline"]
        own = {h.number: h.name for h in _CATALOG.flows[code].hotlines}
        assert number == "12393" or "医保" in own[number], f"{code}: hotline {number}"


def test_no_page_sends_a_medical_question_to_the_tax_line_twice(pages) -> None:
    for key, texts in pages.items():
        for text in texts.values():
            assert "12366(税务)、12366" not in text and "12366（税务）、12366" not in text, key
            assert not re.search(r"拨打 12366 咨询", text), key
        if key[1] == "resident":
            assert f"拨打 {flow_context(_CATALOG, key[0])['hotline']}" in texts["deadline"], key


def test_a_range_is_shown_as_a_range(pages) -> None:
    for (code, ident, _ch), texts in pages.items():
        figs = _CATALOG.flows[code].identities[ident].figures
        if not figs.tiers.known or not figs.tiers_are_range:
            continue
        for text in (texts["show"], texts["calc"]):
            assert "之间自选" in text, (code, ident)
            assert not re.search(r"档次：\d+%、", text), f"{code}: a range shown as tiers"


def test_place_words_fit_provinces_and_municipalities(pages) -> None:
    for (code, ident, ch), texts in pages.items():
        region = _CATALOG.regions[code]
        text = texts["show"]
        if region.parent is None and code not in MUNICIPALITIES:
            name = region.name
            for wrong in (f"城市为{name}", f"城市是{name}", f"城市是参保地{name}", f"{name}-{name}"):
                assert wrong not in text, f"{code}/{ident}/{ch}: {wrong}"
        if code in MUNICIPALITIES:
            assert "本省" not in text, f"{code}/{ident}/{ch}: 本省 on a municipality page"


@pytest.mark.parametrize("code", sorted(_CATALOG.flows))
def test_every_operator_note_is_shown(code: str, pages) -> None:
    """A figure's note shows whether the figure is known or not (five were dropped before)."""
    fctx = flow_context(_CATALOG, code)
    for ident in IDENTITIES:
        figs = _CATALOG.flows[code].identities[ident].figures
        texts = next(t for (c, i, _), t in pages.items() if c == code and i == ident)
        shown = texts["show"] + texts["calc"]
        for name in ("amount", "base_floor", "base_ceiling", "rate", "tiers", "average_wage", "period"):
            fig = getattr(figs, name)
            if fig.note and (fig.known or name in ("amount", "base_floor", "rate")):
                if name == "average_wage" and not fig.known:
                    continue
                note = flow_text(fig.note, fctx)
                assert note in shown, f"{code} {ident}.{name}: note not shown: {note}"


def test_one_identitys_notes_and_tips_stay_on_its_pages(pages) -> None:
    for (code, ident, ch), texts in pages.items():
        other = "resident" if ident == "flexible" else "flexible"
        body = _CATALOG.flows[code].identities[other]
        mine = _CATALOG.flows[code].identities[ident]
        fctx = flow_context(_CATALOG, code)
        theirs = {flow_text(n, fctx) for n in body.notes} - {flow_text(n, fctx) for n in mine.notes}
        for c in body.channels.values():
            if c is not None:
                theirs |= {flow_text(t, fctx) for t in c.tips}
        for c in mine.channels.values():
            if c is not None:
                theirs -= {flow_text(t, fctx) for t in c.tips}
        for note in theirs:
            assert f"• {note}\n" not in texts["show"] + "\n", (
                f"{code}/{ident}/{ch}: shows a {other} note: {note}"
            )


def test_children_and_students_are_not_on_flexible_pages(pages) -> None:
    for (code, ident, ch), texts in pages.items():
        if ident == "flexible":
            assert not re.search(r"少儿|未在校儿童|在校学生", texts["show"]), f"{code}/{ch}"


def test_a_typed_local_rate_gets_the_computation(renderer: Renderer) -> None:
    wizard = Wizard(_CATALOG, renderer.labels)
    unknown = [
        c for c in sorted(_CATALOG.flows) if not _CATALOG.flows[c].identities["flexible"].figures.rate.known
    ]
    assert unknown, "some region lacks a rate"
    code = unknown[0]
    slots = slots_for(_CATALOG, code, "flexible", _CATALOG.channels("flexible", code)[0])
    text = html_to_text(render_path(wizard, renderer, slots, Event("calc", ""))[1])
    assert "费率9%" in text and "付款前" in text  # where the official figure is shown, and what to type
    _, answer = render_path(wizard, renderer, slots, Event("text", "费率9% 基数5000"))
    answer = html_to_text(answer)
    assert "缴费基数 5,000 元 × 费率 9% = 每月 450 元" in answer
    assert "你发送的费率" in answer


def test_an_unknown_amount_says_where_the_official_one_is_shown(pages) -> None:
    for (code, ident, _ch), texts in pages.items():
        if ident == "resident" and not _CATALOG.flows[code].identities[ident].figures.amount.known:
            assert "付款前会显示应缴金额" in texts["show"] and "区号" in texts["show"], code
