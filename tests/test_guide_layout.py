"""The guide answers first: every instructions page's first message fits one phone screen and says where
to pay, how much, by when, then the numbered steps; every follow-up page leads back to the guide."""

from __future__ import annotations

import re
import statistics

import pytest

from bot.catalog.loader import load_catalog
from bot.events import Event
from bot.render import Renderer
from bot.session import Session
from bot.tools.guide_size import first_messages, guide_slots
from bot.wizard import Wizard
from tests.helpers.golden import followups
from tests.helpers.trees import FLOWS

_CATALOG = load_catalog(FLOWS)
MEDIAN_LIMIT, MAX_LIMIT = 700, 1000


@pytest.fixture(scope="module")
def pages(renderer: Renderer) -> list[tuple[str, str]]:
    return list(first_messages(_CATALOG, renderer))


def test_first_message_is_short(pages: list[tuple[str, str]]) -> None:
    lengths = [len(text) for _, text in pages]
    assert statistics.median(lengths) <= MEDIAN_LIMIT
    longest = max(pages, key=lambda p: len(p[1]))
    assert len(longest[1]) <= MAX_LIMIT, longest[0]


def test_first_message_answers_first(pages: list[tuple[str, str]]) -> None:
    for label, text in pages:
        lines = text.splitlines()
        where = next(i for i, line in enumerate(lines) if line.startswith("📍 在哪交："))
        assert lines[where + 1].startswith("💰 交多少：") and len(lines[where + 1]) > 6, label
        assert lines[where + 2].startswith("📅 什么时候交：") and len(lines[where + 2]) > 8, label
        steps = [line for line in lines if re.match(r"^\d+\. \S", line)]
        assert len(steps) >= 2 and steps[0].startswith("1. "), label
        assert lines.index(steps[0]) > where + 2, f"steps come after where, how much, by when: {label}"


def test_every_followup_leads_back_to_the_guide(renderer: Renderer) -> None:
    wizard = Wizard(_CATALOG, renderer.labels)
    for _, slots in list(guide_slots(_CATALOG))[::37]:
        session = Session("instructions", slots, 3)
        for action, value in followups():
            new, view = wizard.step(session, Event(action, value))
            assert new == session, "a follow-up keeps the session (the guide is one tap away)"
            assert ("show", "") in [(b.action, b.value) for b in view.actions], (action, value)
            _, guide = wizard.step(new, Event("show", version=new.version))
            assert guide.parts[-1].template == "instructions"


def test_guide_buttons_come_from_one_list(renderer: Renderer) -> None:
    wizard = Wizard(_CATALOG, renderer.labels)
    _, slots = next(guide_slots(_CATALOG))
    _, view = wizard.step(Session("instructions", slots, 1), Event("show"))
    listed = wizard.views.guide_actions(view.parts[-1].context)
    assert list(view.actions[: len(listed)]) == listed
    assert ("more", "") in [(b.action, b.value) for b in listed]


def test_a_channel_url_becomes_a_link_button(renderer: Renderer) -> None:
    """A channel's ``url`` in the flows is a URL button on the guide (it acts in the client)."""
    views = Wizard(_CATALOG, renderer.labels).views
    context = {"channel": {"url": "https://example.gov.cn/pay"}, "channel_names": [{"name": "湘税社保"}]}
    buttons = views.guide_actions(context)
    assert [(b.action, b.value) for b in buttons[:2]] == [
        ("url", "https://example.gov.cn/pay"),
        ("copy", "湘税社保"),
    ]
    assert not any(
        b.action == "url" for b in views.guide_actions({"channel": {"url": ""}, "channel_names": []})
    )


def test_materials_are_shown_once_on_the_materials_follow_up_not_on_more(renderer: Renderer) -> None:
    """The "more" page left the materials to the 📄 follow-up, whose button it carries."""
    wizard = Wizard(_CATALOG, renderer.labels)
    checked = 0
    for _, slots in list(guide_slots(_CATALOG))[::37]:
        session = Session("instructions", slots, 3)
        _, more = wizard.step(session, Event("more"))
        _, materials = wizard.step(session, Event("faq", "materials"))
        listed = materials.parts[-1].context.get("materials") or []
        more_text = renderer.render(more)
        assert ("faq", "materials") in [(b.action, b.value) for b in more.actions]
        assert "需要准备" not in more_text
        for item in listed:
            assert f"• {item}" not in more_text, item
        checked += bool(listed)
    assert checked > 0
