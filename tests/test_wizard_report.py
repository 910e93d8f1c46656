"""The report flow in the wizard (pure, no Telegram) and what one step counts (bot/usage.py)."""

from __future__ import annotations

import pytest

from bot.catalog.models import FAQ_TOPICS
from bot.events import Event
from bot.feedback import REPORT_MAX
from bot.pages.reporting import draft, is_page, page_event
from bot.session import Session
from bot.wizard import Wizard
from bot.wizard.usage import UsageCounter, unknown_text, usage_names

PAGES = ["guide", "calc", *(f"faq-{t}" for t in FAQ_TOPICS)]


def at_guide(wizard: Wizard, identity: str = "resident") -> Session:
    s = Session()
    for value in (identity, "430000", "430100", "wechat"):
        s, _ = wizard.step(s, Event("pick", value))
    assert s.state == "instructions"
    return s


def open_page(wizard: Wizard, s: Session, page: str) -> Session:
    action, value = page_event(page)
    s, _ = wizard.step(s, Event(action, value))
    return s


@pytest.mark.parametrize("page", PAGES)
def test_every_answer_page_offers_the_report_button_and_returns_there(wizard: Wizard, page: str) -> None:
    s = at_guide(wizard)
    action, value = page_event(page)
    s, view = wizard.step(s, Event(action, value))
    assert ("report", page) in {(b.action, b.value) for b in view.actions}
    s, ask = wizard.step(s, Event("report", page, s.version))
    assert s.question == f"report:{page}" and ask.parts[-1].template == "report_ask"
    s, done = wizard.step(s, Event("text", "  数字不对  "))
    assert s.question == "" and s.state == "instructions" and done.notice == "reported"
    assert done.report is not None and done.report.page == page and done.report.text == "数字不对"
    assert done.parts[0].context["notice"] == "reported"
    shown = {p.template for p in done.parts[1:]}
    assert shown == ({"header", "instructions"} if page == "guide" else {"header", page.split("-")[0]})


def test_personal_data_and_empty_text_are_refused_and_the_question_waits(wizard: Wizard) -> None:
    s = at_guide(wizard)
    s, _ = wizard.step(s, Event("report", "guide", s.version))
    for text in ("我的手机13812345678", "   "):
        s, view = wizard.step(s, Event("text", text))
        assert view.report is None and s.question == "report:guide"
        assert view.parts[-1].template == "report_ask"
    s, again = wizard.step(s, Event("show"))  # the privacy guard shows the current step: still asked
    assert again.parts[-1].template == "report_ask" and s.question == "report:guide"


def test_cancel_and_moving_on_drop_the_question(wizard: Wizard) -> None:
    s = at_guide(wizard)
    s = open_page(wizard, s, "calc")
    s, _ = wizard.step(s, Event("report", "calc", s.version))
    s, back = wizard.step(s, Event("report", "back", s.version))
    assert s.question == "" and back.parts[-1].template == "calc" and back.report is None
    s, _ = wizard.step(s, Event("report", "guide", s.version))
    s, _ = wizard.step(s, Event("restart", "", s.version))
    assert s.question == "" and s.state == "identity"


def test_report_needs_an_answer_page_and_a_known_page(wizard: Wizard) -> None:
    s, view = wizard.step(Session(), Event("report", "guide"))
    assert view.notice == "followup_needs_instructions" and s.question == ""
    s = at_guide(wizard)
    s2, view = wizard.step(s, Event("report", "nonsense"))
    assert view.notice == "unknown_action" and s2 == s
    assert not is_page("faq-unknown") and is_page("faq-law")


def test_draft_records_where_the_user_was(wizard: Wizard) -> None:
    s = at_guide(wizard, "flexible")
    r = draft(wizard.catalog, s.slots, "calc", "x" * 2000)
    assert (r.region, r.identity, r.channel, r.page) == ("430100", "flexible", "wechat", "calc")
    assert len(r.text) == REPORT_MAX and r.created == 0.0


def test_usage_names_of_steps(wizard: Wizard) -> None:
    s0 = Session()
    s1, v1 = wizard.step(s0, Event("pick", "resident"))
    assert usage_names(s0, s1, "pick", "resident", v1) == ["step:province"]
    s = at_guide(wizard)
    s2, v2 = wizard.step(s, Event("faq", "law"))
    assert usage_names(s, s2, "faq", "law", v2) == ["open:faq-law"]
    s3, v3 = wizard.step(s, Event("text", "今天天气怎么样"))
    assert v3.notice == "not_understood"
    assert usage_names(s, s3, "text", "今天天气怎么样", v3) == ["unknown:今天天气怎么样"]


def test_not_understood_text_is_masked_cut_and_never_personal() -> None:
    assert unknown_text("我 2026 年 交多少") == "我 #### 年 交多少"
    assert unknown_text("我的电话13812345678") is None
    assert len(unknown_text("长" * 100) or "") == 30


async def test_counter_adds_up_and_flushes_in_batches() -> None:
    from bot.store import MemorySessionStore

    store = MemorySessionStore()
    counter = UsageCounter(store, clock=lambda: 1_764_547_200.0)  # 2025-12-01 08:00 in Beijing
    counter.add("-", "start")
    counter.add("-", "start")
    counter.add("430100", "step:instructions")
    assert await store.counts() == {}  # nothing written until a flush
    await counter.flush()
    assert await store.counts() == {
        ("2025-12-01", "-", "start"): 2,
        ("2025-12-01", "430100", "step:instructions"): 1,
    }
    off = UsageCounter(store, enabled=False)
    off.add("-", "start")
    assert not off.pending
