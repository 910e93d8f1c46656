"""Follow-ups on the instructions page: the calculator and the common questions, as pure wizard events."""

from __future__ import annotations

import pytest

from bot.catalog.models import FAQ_TOPICS
from bot.events import Event
from bot.session import Session
from bot.view import CLIENT_ACTIONS
from bot.wizard import Wizard

FLEX = Session(
    "instructions", {"identity": "flexible", "province": "370000", "city": "370200", "channel": "bank"}, 7
)
RES = Session(
    "instructions", {"identity": "resident", "province": "360000", "city": "360000", "channel": "wechat"}, 7
)


def test_instructions_offer_calculator_and_questions(wizard: Wizard) -> None:
    _, view = wizard.step(RES, Event("show"))
    pairs = [(b.action, b.value) for b in view.actions]
    assert ("calc", "") in pairs
    assert [v for a, v in pairs if a == "faq"] == list(FAQ_TOPICS)


def test_callback_codes_are_short_ascii(wizard: Wizard) -> None:
    for session in (FLEX, RES):
        _, view = wizard.step(session, Event("show"))
        for b in view.actions:
            if b.action in CLIENT_ACTIONS:
                continue  # copy and URL buttons act in the client and carry no callback data
            data = f"{10**9}:{b.action}:{b.value}"
            assert data.isascii() and len(data.encode()) <= 64


@pytest.mark.parametrize(
    "event", [Event("calc"), Event("text", "5000"), *(Event("faq", t) for t in FAQ_TOPICS)]
)
def test_followups_keep_the_session(wizard: Wizard, renderer, event: Event) -> None:
    for session in (FLEX, RES):
        new, view = wizard.step(session, event)
        assert new == session, "a follow-up must not move the user"
        assert view.state == "instructions"
        assert view.parts[-1].template in ("calc", "faq")
        assert ("show", "") in [(b.action, b.value) for b in view.actions], "a way back to the instructions"
        assert "None" not in renderer.render(view)


def test_typed_base_is_priced_for_flexible(wizard: Wizard, renderer) -> None:
    _, view = wizard.step(FLEX, Event("text", "5000"))
    ctx = view.parts[-1].context
    assert ctx["check"]["status"] == "ok"
    text = renderer.render(view)
    assert "每月 <b>425 元</b>" in text and "全年（12个月）<b>5,100 元</b>" in text


def test_typed_base_below_floor_is_explained(wizard: Wizard, renderer) -> None:
    _, view = wizard.step(FLEX, Event("text", "3000元"))
    text = renderer.render(view)
    assert "低于" in text and "不能按这个基数缴费" in text and "3,980" in text


def test_button_back_from_followup_shows_instructions(wizard: Wizard) -> None:
    _, view = wizard.step(FLEX, Event("faq", "law"))
    assert "第二十三条" in str(view.parts[-1].context["legal_basis"])
    new, view = wizard.step(FLEX, Event("show", version=FLEX.version))
    assert new == FLEX and view.parts[-1].template == "instructions"


def test_followups_need_the_instructions_page(wizard: Wizard) -> None:
    s = Session("channel", {"identity": "resident", "province": "360000", "city": "360000"}, 3)
    new, view = wizard.step(s, Event("calc"))
    assert new == s and view.notice == "followup_needs_instructions" and view.state == "channel"


def test_unknown_topic_and_stale_button(wizard: Wizard) -> None:
    new, view = wizard.step(RES, Event("faq", "nope"))
    assert new == RES and view.notice == "unknown_action"
    _, view = wizard.step(RES, Event("faq", "law", version=RES.version - 1))
    assert view.notice == "stale"


def test_numbers_still_pick_options_before_the_instructions(wizard: Wizard) -> None:
    s, _ = wizard.step(Session(), Event("text", "2"))
    assert s.slots["identity"] == "resident"


def test_regional_answer_overrides_national(wizard: Wizard, catalog) -> None:
    national = catalog.national.identities["resident"].faq["start"]
    regional = catalog.flows["630100"].identities["resident"].faq["start"]
    assert regional != national
    s = Session(
        "instructions",
        {"identity": "resident", "province": "630000", "city": "630100", "channel": "alipay"},
        2,
    )
    _, view = wizard.step(s, Event("faq", "start"))
    assert view.parts[-1].context["points"] == list(regional.points)
