"""Typed messages in the pure wizard: slots filled at any step, questions routed, nothing lost."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.catalog.loader import load_catalog
from bot.catalog.models import INTENTS
from bot.events import Event
from bot.render import Renderer, html_to_text
from bot.session import STATES, Session
from bot.view import Part, View
from bot.wizard import Wizard
from bot.wizard.views import Heading
from tests.helpers.trees import flows_tree

CHANGSHA_FLEX_WECHAT = {"identity": "flexible", "province": "430000", "city": "430100", "channel": "wechat"}


def run(wizard: Wizard, *texts: str, session: Session | None = None) -> tuple[Session, View]:
    s, view = session or Session(), None
    for t in texts:
        s, view = wizard.step(s, Event("text", t))
    assert view is not None
    return s, view


def test_full_question_lands_on_instructions_in_one_message(wizard: Wizard, renderer: Renderer) -> None:
    s, view = run(wizard, "我是灵活就业人员，在长沙，想用微信交医保怎么操作？")
    assert s.state == "instructions" and dict(s.slots) == CHANGSHA_FLEX_WECHAT
    text = html_to_text(renderer.render(view))
    assert text.startswith("✅ 已识别：灵活就业人员 · 湖南省长沙市 · 微信")


@pytest.mark.parametrize(
    ("text", "state", "slots"),
    [
        ("城乡居民医保可以在支付宝交吗", "province", {"identity": "resident"}),
        ("湖南", "identity", {"province": "430000"}),
        ("我是学生，在深圳", "channel", {"identity": "resident", "province": "440000", "city": "440300"}),
        ("灵活就业 湖南", "city", {"identity": "flexible", "province": "430000"}),
        ("重庆 个体户", "channel", {"identity": "flexible", "province": "500000"}),
    ],
)
def test_partial_question_continues_at_first_missing_step(
    wizard: Wizard, text: str, state: str, slots: dict[str, str]
) -> None:
    s, view = run(wizard, text)
    assert s.state == state and view.notice == "recognised"
    assert {k: v for k, v in s.slots.items() if k in slots} == slots


def test_answers_typed_ahead_are_kept_until_their_step(wizard: Wizard) -> None:
    s, _ = run(wizard, "长沙 微信")
    assert s.state == "identity"
    assert dict(s.slots) == {"province": "430000", "city": "430100", "channel": "wechat"}
    s, _ = wizard.step(s, Event("pick", "flexible"))
    assert s.state == "instructions" and dict(s.slots) == CHANGSHA_FLEX_WECHAT


def test_typed_ahead_channel_then_typed_region(wizard: Wizard) -> None:
    s, _ = run(wizard, "支付宝", "我是城乡居民", "杭州")
    assert s.state == "instructions"
    assert dict(s.slots) == {
        "identity": "resident",
        "province": "330000",
        "city": "330100",
        "channel": "alipay",
    }


def test_switch_channel_on_instructions_and_go_back(wizard: Wizard) -> None:
    s, _ = run(wizard, "我是灵活就业人员，在长沙，想用微信交医保")
    s, view = run(wizard, "换成支付宝", session=s)
    assert s.state == "instructions" and s.slots["channel"] == "alipay" and view.notice == "recognised"
    s, _ = run(wizard, "上一步", session=s)
    assert s.state == "channel" and s.slots["channel"] == "alipay"


def test_switch_region_on_instructions_keeps_the_channel(wizard: Wizard) -> None:
    s, _ = run(wizard, "我是学生 在长沙 用支付宝")
    s, _ = run(wizard, "换成深圳", session=s)
    assert s.state == "instructions"
    assert (s.slots["province"], s.slots["city"], s.slots["channel"]) == ("440000", "440300", "alipay")


def test_channel_not_offered_is_said_and_asked_again(tmp_path: Path, renderer: Renderer) -> None:
    city = 'code: "659001"\nname: 石河子市\nparent: "650000"\naliases: [石河子]\n'
    city += "identities:\n  flexible:\n    channels: {alipay: null}\n"
    catalog = load_catalog(flows_tree(tmp_path, {"regions/659001-shihezi.yaml": city}))
    w = Wizard(catalog, renderer.labels)
    s, view = run(w, "灵活就业 石河子 支付宝")
    assert s.state == "channel" and s.slots["city"] == "659001" and "channel" not in s.slots
    assert "当地暂不支持支付宝缴费" in html_to_text(renderer.render(view))


def test_restart_with_new_answers(wizard: Wizard) -> None:
    s, _ = run(wizard, "我是灵活就业人员，在长沙，想用微信交医保")
    for _ in range(2):  # the second time the answers are the same as before the restart
        s, _ = run(wizard, "重新开始，我是学生在深圳", session=s)
        assert s.state == "channel"
        assert dict(s.slots) == {"identity": "resident", "province": "440000", "city": "440300"}


def test_naming_the_current_choice_again_confirms_it(wizard: Wizard) -> None:
    s, _ = run(wizard, "我是灵活就业人员，在长沙，想用微信交医保")
    s2, view = run(wizard, "长沙", session=s)
    assert s2 == s and view.notice == "recognised" and view.state == "instructions"


def test_typed_restart_and_back(wizard: Wizard) -> None:
    s, _ = run(wizard, "我是学生", "湖南")
    assert s.state == "city"
    s, _ = run(wizard, "返回", session=s)
    assert s.state == "province"
    s, view = run(wizard, "从头再来", session=s)
    assert s.state == "identity" and not s.slots and view.notice == "restarted"


@pytest.mark.parametrize(
    ("text", "template", "expect"),
    [
        ("首次缴纳多久能用", "faq", "什么时候生效（全国一般规定 · 城乡居民）"),
        ("需要什么材料", "faq", "需要什么材料（全国一般规定 · 城乡居民）"),
        ("12393是什么电话", "hotlines", "医保服务热线 12393"),
    ],
)
def test_question_before_a_region_is_answered_nationally_above_the_step(
    wizard: Wizard, renderer: Renderer, text: str, template: str, expect: str
) -> None:
    start, _ = run(wizard, "我是城乡居民")
    s, view = run(wizard, text, session=start)
    assert s.slots == start.slots and s.state == "province" and not s.question
    assert [p.template for p in view.parts] == [template, "notice", "header", "province"]
    out = html_to_text(renderer.render(view))
    assert expect in out and "接着选择下面的选项" in out and view.options == start_options(wizard, s)


def start_options(wizard: Wizard, s: Session) -> tuple:
    return tuple(wizard.options(s.state, s.slots))


def test_question_without_identity_asks_the_identity_first(wizard: Wizard, renderer: Renderer) -> None:
    """Not both answers at once: one tap on the identity, then the answer for it."""
    s, view = run(wizard, "交了医保交不了社保怎么回事")
    assert s.state == "identity" and s.question == "faq:duplicate"
    assert "faq" not in [p.template for p in view.parts]
    assert "先选一下你的参保身份" in html_to_text(renderer.render(view))
    assert [b.value for b in view.options] == ["flexible", "resident"]
    s, view = wizard.step(s, Event("pick", "resident", s.version))
    faqs = [p for p in view.parts if p.template == "faq"]
    assert len(faqs) == 1 and not s.question
    assert "（全国一般规定 · 城乡居民）" in html_to_text(renderer.render(view))


def test_question_with_a_region_is_answered_for_that_region(wizard: Wizard, renderer: Renderer) -> None:
    s, view = run(wizard, "灵活就业在长沙要带什么材料")
    assert s.state == "channel" and view.notice == "recognised"
    assert [p.template for p in view.parts] == ["notice", "faq", "notice", "header", "channel"]
    out = html_to_text(renderer.render(view))
    assert out.startswith("✅ 已识别：灵活就业人员 · 湖南省长沙市\n")
    assert "需要什么材料（长沙市 · 灵活就业人员）" in out and "告诉我" not in out


def test_calculator_question_with_a_region_computes_at_once(wizard: Wizard, renderer: Renderer) -> None:
    s, view = run(wizard, "在重庆灵活就业，基数5000每月交多少")
    calc = [p for p in view.parts if p.template == "calc"]
    assert s.state == "channel" and not s.question and len(calc) == 1
    assert calc[0].context["typed"] == "5000" and calc[0].context["region"] == "重庆市"
    assert calc[0].context["invite_base"] is False  # a number typed here is not read as a base
    s, view = run(wizard, "长沙医保一年交多少钱")
    assert s.state == "identity" and s.question == "calc:" and "calc" not in [p.template for p in view.parts]
    s, view = wizard.step(s, Event("pick", "resident", s.version))
    assert [p.context["identity"] for p in view.parts if p.template == "calc"] == ["resident"]


def test_calculator_question_waits_for_the_region(wizard: Wizard, renderer: Renderer) -> None:
    s, view = run(wizard, "基数5000每月交多少")
    assert s.state == "province" and s.question == "calc:5000"
    assert "按基数 5000 元算出要交多少" in html_to_text(renderer.render(view))
    assert Session.from_json(s.to_json()) == s  # the waiting question survives a restart of the bot
    s, view = wizard.step(s, Event("pick", "430000"))
    assert s.state == "city" and s.question and "calc" not in [p.template for p in view.parts]
    s, view = wizard.step(s, Event("pick", "430100"))
    assert s.state == "channel" and not s.question
    calc = next(p for p in view.parts if p.template == "calc")
    assert calc.context["region"] == "长沙市" and calc.context["typed"] == "5000"
    assert view.parts[-1].template == "channel" and view.options


def test_waiting_question_is_answered_by_a_typed_region_or_on_the_instructions(wizard: Wizard) -> None:
    s, _ = run(wizard, "灵活就业 要交多少钱")
    s2, view = run(wizard, "重庆", session=s)
    assert s2.state == "channel" and not s2.question and any(p.template == "calc" for p in view.parts)
    s3, view = run(wizard, "重庆 微信", session=s)
    assert s3.state == "instructions" and not s3.question
    assert [p.template for p in view.parts] == ["notice", "header", "calc"]  # the calculator page


def test_restart_forgets_a_waiting_question(wizard: Wizard) -> None:
    s, _ = run(wizard, "基数5000每月交多少")
    s, _ = wizard.step(s, Event("restart"))
    assert not s.question


def test_question_on_instructions_is_answered(wizard: Wizard, renderer: Renderer) -> None:
    s, _ = run(wizard, "我是灵活就业人员，在长沙，想用微信交医保")
    s2, view = run(wizard, "断缴了怎么办", session=s)
    assert s2 == s and view.state == "instructions" and view.parts[-1].template == "faq"
    assert "断缴" in html_to_text(renderer.render(view))


def test_calculator_question_on_instructions_uses_the_typed_base(wizard: Wizard, renderer: Renderer) -> None:
    s, _ = run(wizard, "我是灵活就业人员，在长沙，想用微信交医保")
    _, view = run(wizard, "基数一万二每月交多少", session=s)
    assert view.parts[-1].template == "calc" and view.parts[-1].context["typed"] == "12000"


def test_question_without_a_page_points_at_the_guide(wizard: Wizard, renderer: Renderer) -> None:
    s, _ = run(wizard, "我是灵活就业人员，在长沙，想用微信交医保")
    s2, view = run(wizard, "医保热线是多少", session=s)
    assert s2 == s and view.notice == "question" and view.state == "instructions"
    assert "答案在下面指南的「咨询电话」部分" in html_to_text(renderer.render(view))


def test_unknown_text_keeps_place(wizard: Wizard) -> None:
    s, _ = run(wizard, "我是城乡居民")
    s2, view = run(wizard, "今天天气不错", session=s)
    assert s2 == s and view.notice == "not_understood"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("intent", [*INTENTS, ""])
def test_every_notice_renders(wizard: Wizard, renderer: Renderer, state: str, intent: str) -> None:
    for notice in ("recognised", "question", "continue"):
        view = View(state, (Part("notice", _note(notice, state, intent)),))
        assert html_to_text(renderer.render(view)).strip() or notice == "question"


def _note(notice: str, state: str, intent: str) -> dict[str, object]:
    return {
        "notice": notice,
        "recognised": ["微信"],
        "unavailable": [],
        "intent": intent,
        "state": state,
        "waiting": "5000" if intent == "amount" else "",
    }


class _FollowupWizard(Wizard):
    """The wizard, recording which follow-up page (answer or calculator) a typed question asked for."""

    def __init__(self, catalog, labels: Mapping[str, str]) -> None:
        super().__init__(catalog, labels)
        self.asked: list[tuple[str, str]] = []
        self.views.followup = self._followup  # type: ignore[method-assign]

    def _followup(self, session: Session, action: str, value: str, heading: Heading | None = None) -> View:
        self.asked.append((action, value))
        head = (self.views.notice_part(heading.notice, "instructions"),) if heading else ()
        return View("instructions", (*head, Part("faq", {"topic": value})))


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("需要带什么材料", ("faq", "materials")),
        ("多久能生效", ("faq", "start")),
        ("断缴了怎么补", ("faq", "deadline")),
        ("已有职工医保还能交居民医保吗", ("faq", "duplicate")),
        ("法律依据是什么", ("faq", "law")),
        ("基数一万二每月交多少", ("calc", "12000")),
        ("一个月多少钱", ("calc", "")),
    ],
)
def test_questions_are_routed_when_the_wizard_answers_them(
    catalog, renderer: Renderer, text: str, asked: tuple[str, str]
) -> None:
    w = _FollowupWizard(catalog, renderer.labels)
    s, _ = run(w, "我是灵活就业人员，在长沙，想用微信交医保")
    s2, view = run(w, text, session=s)
    assert w.asked == [asked] and s2 == s and view.parts[0].template == "faq"


def test_routed_question_keeps_the_recognised_line(catalog, renderer: Renderer) -> None:
    w = _FollowupWizard(catalog, renderer.labels)
    s, view = run(w, "我是灵活就业人员，在长沙，用微信交，要带什么材料")
    assert s.state == "instructions" and w.asked == [("faq", "materials")]
    assert [p.template for p in view.parts] == ["notice", "faq"]


def test_calculator_question_before_the_identity_asks_for_both(wizard: Wizard, renderer: Renderer) -> None:
    s, view = run(wizard, "医保一年交多少钱")
    assert s.state == "identity" and s.question == "calc:"
    assert "先选择参保身份和参保地，选好后我就算出要交多少" in html_to_text(renderer.render(view))
    s, _ = wizard.step(s, Event("pick", "resident"))
    s, view = wizard.step(s, Event("pick", "500000"))
    assert s.state == "channel" and not s.question
    assert [p.context["identity"] for p in view.parts if p.template == "calc"] == ["resident"]


@pytest.mark.parametrize("text", ["微信上找不到了", "微信交不了,怎么办", "微信里打不开"])
def test_a_channel_that_did_not_work_steps_back_to_the_channel_choice(wizard: Wizard, text: str) -> None:
    s, _ = run(wizard, "我是灵活就业人员，在长沙，想用微信交")
    assert s.state == "instructions"
    s2, view = run(wizard, text, session=s)
    assert s2.state == "channel" and "channel" not in s2.slots and view.state == "channel"
    assert {k: v for k, v in s2.slots.items()} == {k: v for k, v in s.slots.items() if k != "channel"}


@pytest.mark.parametrize("text", ["还有别的办法吗", "有没有其他方式交", "还有别的渠道吗"])
def test_asking_for_another_way_steps_back_to_the_channel_choice(wizard: Wizard, text: str) -> None:
    s, _ = run(wizard, "我是灵活就业人员，在长沙，想用微信交")
    s2, view = run(wizard, text, session=s)
    assert s2.state == "channel" and "channel" not in s2.slots and view.state == "channel"
    assert {k: v for k, v in s2.slots.items()} == {k: v for k, v in s.slots.items() if k != "channel"}
    s3, _ = run(wizard, "还有别的办法吗,支付宝行吗", session=s)  # another way named: it is taken
    assert s3.state == "instructions" and s3.slots["channel"] == "alipay"


def test_a_channel_that_did_not_work_gives_way_to_the_one_named_next(wizard: Wizard) -> None:
    s, _ = run(wizard, "我是灵活就业人员，在长沙，想用微信交")
    s2, _ = run(wizard, "微信上找不到了,支付宝有吗", session=s)
    assert s2.state == "instructions" and s2.slots["channel"] == "alipay"
    s3, _ = run(wizard, "支付宝交不了", session=s)  # another channel failing leaves the chosen one
    assert s3.state == "instructions" and s3.slots["channel"] == "wechat"
