"""Property-based tests: random event sequences never break the wizard's invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.telegram.keyboard import build_keyboard
from bot.adapters.telegram.texts import load_texts
from bot.catalog.models import FAQ_TOPICS
from bot.events import Event
from bot.render import MESSAGES_DIR
from bot.session import STATES, STEPS, Session
from bot.view import View
from bot.wizard import Wizard

CODES = ["110000", "430000", "430100", "440000", "440300", "500000", "320000", "999999", ""]
VALUES = ["flexible", "resident", "wechat", "alipay", "tax", "bank", "hall", "x", *CODES]
TEXTS = ["湖南", "长沙", "支付宝", "上一步", "重新开始", "3", "0", "灵活就业 广州 银行", "", "<b>", "🙂" * 5]

SLOTS = st.dictionaries(
    st.sampled_from(["identity", "province", "city", "channel", "bogus"]), st.sampled_from(VALUES), max_size=4
)
BASES = ["5000", "3000.5", "0", "-1", "99999999", "1e9", "五千", "", "¥4,000", "\x00", "5000" * 20]

events = st.one_of(
    st.builds(Event, st.just("pick"), st.sampled_from(VALUES)),
    st.builds(Event, st.sampled_from(["back", "restart", "channel", "show", "start", "bogus"])),
    st.builds(Event, st.just("text"), st.one_of(st.sampled_from(TEXTS), st.text(max_size=40))),
    # Follow-ups (calculator, common questions) and deep-link style fills.
    st.builds(Event, st.just("calc"), st.one_of(st.sampled_from(BASES), st.text(max_size=12))),
    st.builds(Event, st.just("faq"), st.sampled_from([*FAQ_TOPICS, "bogus", ""])),
    st.builds(Event, st.just("fill"), st.just(""), st.none(), SLOTS),
)
TELEGRAM_TEXTS = load_texts(MESSAGES_DIR)


def _valid(wizard: Wizard, s: Session) -> None:
    assert s.state in STATES
    cat = wizard.catalog
    needed = STEPS[: STEPS.index(s.state)] if s.state in STEPS else STEPS
    for step in needed:
        if step == "city" and not cat.cities_of.get(s.slots.get("province", "")):
            continue
        assert step in s.slots, f"{s} lacks {step}"
    if "province" in s.slots:
        assert cat.regions[s.slots["province"]].parent is None
    if s.state == "instructions":
        code = s.slots.get("city") or s.slots["province"]
        assert s.slots["channel"] in cat.channels(s.slots["identity"], code)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(events, max_size=25))
def test_random_sequences_keep_invariants(wizard: Wizard, renderer, seq: list[Event]) -> None:
    s = Session()
    for e in seq:
        before = s
        s, view = wizard.step(s, e)
        _valid(wizard, s)
        assert view.notice != "catalog_changed"  # without a reload, no session ever needs repairing
        # The version moves forward exactly when the session changes.
        assert s.version >= before.version
        assert (s.version > before.version) == (s != before)
        if e.action in ("calc", "faq", "show", "start"):
            assert s == before  # follow-ups and showing never move the user
        assert renderer.render(view).strip()
        build_keyboard(view, s.version, TELEGRAM_TEXTS)  # every button fits in callback data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(events, max_size=15), st.sampled_from(VALUES))
def test_back_after_forward_returns_to_previous_view(
    wizard: Wizard, renderer, seq: list[Event], value: str
) -> None:
    s = Session()
    for e in seq:
        s, _ = wizard.step(s, e)
    prev = wizard.view(s)
    forward, _ = wizard.step(s, Event("pick", value))
    if forward.state == s.state:
        return  # the pick was refused; nothing to undo
    back, view = wizard.step(forward, Event("back"))
    if back.state != s.state:
        # Only when this first answer let the wizard use answers typed ahead ("湖南" typed before choosing
        # who you are): back then returns to the last step those answered, with every answer kept.
        ahead = [k for k in s.slots if s.state in STEPS and STEPS.index(k) > STEPS.index(s.state)]
        assert s.state not in s.slots and ahead
        assert STATES.index(s.state) < STATES.index(back.state) < STATES.index(forward.state)
        assert back.slots.get(s.state) == value
        return
    # Same step, same choices offered, same question; the choice just made is kept (marked as selected).
    assert [b.value for b in view.options] == [b.value for b in prev.options]
    assert renderer.render(View(view.state, view.parts[-1:])) == renderer.render(
        View(prev.state, prev.parts[-1:])
    )
    assert back.slots.get(s.state) == value


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(events, max_size=20))
def test_stale_versions_never_act(wizard: Wizard, seq: list[Event]) -> None:
    s = Session()
    for e in seq:
        s, _ = wizard.step(s, e)
    stale, view = wizard.step(s, Event("pick", "resident", version=s.version + 1))
    assert stale == s and view.notice == "stale"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(events, max_size=20))
def test_a_double_tap_acts_at_most_once(wizard: Wizard, seq: list[Event]) -> None:
    """The same button pressed twice (same version in its data): the second press changes nothing."""
    s = Session()
    for e in seq:
        tap = Event(e.action, e.value, s.version, e.slots)
        once, _ = wizard.step(s, tap)
        twice, view = wizard.step(once, tap)
        assert twice == once
        if once != s:
            assert view.notice == "stale"
        s = once
