"""The pure wizard: forward, back, restart, skipping single choices, typed answers, stale buttons."""

from __future__ import annotations

import pytest

from bot.catalog.loader import load_catalog
from bot.events import Event
from bot.session import Session
from bot.wizard import Wizard
from bot.wizard.machine import MACHINE_TRANSITIONS, build_machine
from tests.helpers.trees import FLOWS, flows_tree


def run(wizard: Wizard, *events: Event, session: Session | None = None) -> Session:
    s = session or Session()
    for e in events:
        s, _ = wizard.step(s, e)
    return s


def test_forward_to_instructions_with_city(wizard: Wizard) -> None:
    s = run(wizard, Event("pick", "resident"), Event("pick", "430000"))
    assert s.state == "city"
    s = run(wizard, Event("pick", "430100"), Event("pick", "wechat"), session=s)
    assert s.state == "instructions"
    assert dict(s.slots) == {
        "identity": "resident",
        "province": "430000",
        "city": "430100",
        "channel": "wechat",
    }


def test_province_without_cities_skips_city_step(wizard: Wizard) -> None:
    s = run(wizard, Event("pick", "flexible"), Event("pick", "500000"))
    assert s.state == "channel"


def test_province_without_file_falls_back_to_national(tmp_path, renderer) -> None:
    regions = FLOWS / "regions"
    root = flows_tree(tmp_path, remove=tuple(f"regions/{p.name}" for p in regions.glob("32*.yaml")))
    catalog = load_catalog(root)
    wizard = Wizard(catalog, renderer.labels)
    s = run(wizard, Event("pick", "resident"), Event("pick", "320000"), Event("pick", "alipay"))
    assert s.state == "instructions"
    assert catalog.regions["320000"].file is None
    assert (
        catalog.channel("resident", "320000", "alipay")
        == catalog.national.identities["resident"].channels["alipay"]
    )


def test_back_keeps_earlier_choices(wizard: Wizard) -> None:
    s = run(
        wizard,
        Event("pick", "resident"),
        Event("pick", "440000"),
        Event("pick", "440300"),
        Event("pick", "bank"),
    )
    s = run(wizard, Event("back"), session=s)
    assert s.state == "channel" and s.slots["channel"] == "bank"
    s, view = wizard.step(s, Event("back"))
    assert s.state == "city"
    assert [b.value for b in view.options if b.selected] == ["440300"]
    s = run(wizard, Event("back"), Event("back"), session=s)
    assert s.state == "identity" and s.slots["identity"] == "resident"
    _, view = wizard.step(s, Event("back"))
    assert view.notice == "cannot_go"


def test_changing_an_earlier_answer_clears_later_ones(wizard: Wizard) -> None:
    s = run(wizard, Event("pick", "resident"), Event("pick", "440000"), Event("pick", "440300"))
    s = run(wizard, Event("back"), Event("back"), Event("pick", "500000"), session=s)
    assert s.state == "channel" and "city" not in s.slots


def test_restart_clears(wizard: Wizard) -> None:
    s = run(wizard, Event("pick", "flexible"), Event("pick", "110000"), Event("restart"))
    assert s.state == "identity" and dict(s.slots) == {}


def test_version_increases_on_change_only(wizard: Wizard) -> None:
    s1 = run(wizard, Event("pick", "flexible"))
    s2, view = wizard.step(s1, Event("pick", "999999"))
    assert view.notice == "invalid_choice" and s2.version == s1.version
    s3 = run(wizard, Event("pick", "110000"), session=s2)
    assert s3.version == s2.version + 1


def test_stale_button_is_not_acted_on(wizard: Wizard) -> None:
    s = run(wizard, Event("pick", "flexible"))
    old = s.version - 1
    s2, view = wizard.step(s, Event("pick", "resident", version=old))
    assert s2 == s and view.notice == "stale" and view.state == "province"
    s3, _ = wizard.step(s, Event("pick", "110000", version=s.version))
    assert s3.state == "channel"


@pytest.mark.parametrize("typed", ["湖南", "湖南省", "湘", "hunan", " 湖南 "])
def test_typing_a_province(wizard: Wizard, typed: str) -> None:
    s = run(wizard, Event("pick", "resident"), Event("text", typed))
    assert s.state == "city" and s.slots["province"] == "430000"


def test_typing_a_city_fills_province_and_city(wizard: Wizard) -> None:
    s = run(wizard, Event("pick", "resident"))
    s, view = wizard.step(s, Event("text", "长沙"))
    assert s.state == "channel" and s.slots["city"] == "430100" and s.slots["province"] == "430000"
    assert view.notice == "recognised"


def test_typing_everything_at_once_lands_on_instructions(wizard: Wizard) -> None:
    s = run(wizard, Event("text", "我是灵活就业人员，在长沙，想用微信交"))
    assert s.state == "instructions"
    assert dict(s.slots) == {
        "identity": "flexible",
        "province": "430000",
        "city": "430100",
        "channel": "wechat",
    }


def test_typed_number_picks_option(wizard: Wizard) -> None:
    s = run(wizard, Event("text", "2"))
    assert s.slots["identity"] == "resident"


def test_unknown_text_keeps_place(wizard: Wizard) -> None:
    s = run(wizard, Event("pick", "resident"))
    s2, view = wizard.step(s, Event("text", "今天天气不错"))
    assert s2 == s and view.notice == "not_understood"


def test_typed_back_and_restart(wizard: Wizard) -> None:
    s = run(wizard, Event("pick", "resident"), Event("text", "上一步"))
    assert s.state == "identity"
    s = run(wizard, Event("pick", "resident"), Event("pick", "110000"), Event("text", "重新开始"), session=s)
    assert s.state == "identity" and not s.slots


def test_change_channel_from_instructions(wizard: Wizard) -> None:
    s = run(
        wizard, Event("pick", "resident"), Event("pick", "110000"), Event("pick", "bank"), Event("channel")
    )
    assert s.state == "channel" and s.slots["channel"] == "bank"


def test_only_defined_channels_are_offered(tmp_path, renderer) -> None:
    root = flows_tree(
        tmp_path,
        remove=("regions/650100-wulumuqi.yaml",),
        files={
            "regions/650000-xinjiang.yaml": """
code: "650000"
identities:
  flexible:
    channels: {wechat: null, alipay: null, bank: null, hall: null}
  resident:
    channels: {alipay: null}
"""
        },
    )
    catalog = load_catalog(root)
    w = Wizard(catalog, renderer.labels)
    assert catalog.channels("resident", "650000") == ("wechat", "tax", "bank", "hall")
    # A step with a single possible choice is skipped, forward and back.
    s = run(w, Event("pick", "flexible"), Event("pick", "650000"))
    assert s.state == "instructions" and s.slots["channel"] == "tax"
    s = run(w, Event("back"), session=s)
    assert s.state == "province"


def test_session_repaired_after_region_disappears(tmp_path, wizard: Wizard) -> None:
    s = run(
        wizard,
        Event("pick", "resident"),
        Event("pick", "440000"),
        Event("pick", "440300"),
        Event("pick", "alipay"),
    )
    root = flows_tree(tmp_path, remove=("regions/440300-shenzhen.yaml",))
    w2 = Wizard(load_catalog(root), wizard.labels)
    s2, view = w2.step(s, Event("show"))
    assert s2.state == "city" and "city" not in s2.slots and view.notice == "catalog_changed"


def test_session_repaired_when_a_province_loses_its_only_city(tmp_path, wizard: Wizard, renderer) -> None:
    # Found by the property tests: a left-over city of a province without cities broke the channel step.
    s = run(wizard, Event("pick", "resident"), Event("pick", "360000"), Event("pick", "360100"))
    assert s.state == "channel"
    root = flows_tree(tmp_path, remove=("regions/360100-nanchang.yaml",))
    w2 = Wizard(load_catalog(root), wizard.labels)
    s2, view = w2.step(s, Event("show"))
    assert s2.state == "channel" and "city" not in s2.slots and view.notice == "catalog_changed"
    assert renderer.render(view)


def test_fill_with_unknown_values_is_harmless(wizard: Wizard, renderer) -> None:
    for slots in ({"identity": "wechat"}, {"province": "110000", "city": "flexible"}, {"channel": "x"}):
        s, view = wizard.step(Session(), Event("fill", slots=slots))
        assert s.state in ("identity", "province", "channel") and renderer.render(view)


def test_machine_refuses_unknown_condition_names() -> None:
    bad = [
        *MACHINE_TRANSITIONS,
        {"trigger": "pick", "source": "identity", "dest": "city", "conditions": ["os.system"]},
    ]
    with pytest.raises(ValueError, match="unknown condition"):
        build_machine(bad)


def test_progress_header(wizard: Wizard, renderer) -> None:
    _s, view = wizard.step(run(wizard, Event("pick", "resident")), Event("pick", "430000"))
    text = renderer.render(view)
    assert "第 3/4 步" in text and "城乡居民" in text


def test_changing_identity_keeps_region_and_channel(wizard: Wizard) -> None:
    """Back to the first step and another identity: the region stays, and the channel when it is offered."""
    slots = {"identity": "resident", "province": "430000", "city": "430100", "channel": "wechat"}
    session = Session("identity", slots, 4)
    new, _view = wizard.step(session, Event("pick", "flexible", 4))
    assert new.slots["province"] == "430000" and new.slots["city"] == "430100"
    offered = wizard.catalog.channels("flexible", "430100")
    if "wechat" in offered:
        assert new.state == "instructions" and new.slots["channel"] == "wechat"
    else:
        assert new.state == "channel" and "channel" not in new.slots
