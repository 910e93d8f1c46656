"""Typed places, refusals and whom the insurance is for, in the pure wizard."""

from __future__ import annotations

import pytest

from bot.render import Renderer, html_to_text
from bot.session import Session
from bot.wizard import Wizard
from tests.test_wizard_typed import run


def test_a_place_below_a_province_guide_is_not_asked_again(wizard: Wizard, renderer: Renderer) -> None:
    s, view = run(wizard, "我是城乡居民,在湘潭")
    assert dict(s.slots) == {"identity": "resident", "province": "430000", "city": "430000"}
    assert s.state == "channel"
    assert "湘潭市 → 湖南省全省通用办法" in html_to_text(renderer.render(view))


def test_a_shared_name_narrowed_by_its_province_keeps_the_place(wizard: Wizard, renderer: Renderer) -> None:
    s, view = run(wizard, "我是城乡居民,湖南石门")  # 石门: 石家庄's old name, or 湖南's 石门县
    assert dict(s.slots) == {"identity": "resident", "province": "430000", "city": "430000"}
    assert "石门县 → 湖南省全省通用办法" in html_to_text(renderer.render(view))


def test_a_region_app_names_its_region(wizard: Wizard) -> None:
    s, _ = run(wizard, "我是城乡居民,用粤税通交")
    assert s.slots["province"] == "440000"


def test_a_place_below_a_city_guide_names_the_city(wizard: Wizard, renderer: Renderer) -> None:
    s, view = run(wizard, "灵活就业,杭州余杭区")
    assert dict(s.slots) == {"identity": "flexible", "province": "330000", "city": "330100"}
    assert "余杭区 → 杭州市办法" in html_to_text(renderer.render(view))


def test_a_county_of_a_municipality(wizard: Wizard, renderer: Renderer) -> None:
    s, view = run(wizard, "城乡居民 北京顺义区")
    assert s.slots["province"] == "110000"
    assert "顺义区 → 北京市全市通用办法" in html_to_text(renderer.render(view))


@pytest.mark.parametrize(
    ("place", "options", "answer", "province"),
    [
        ("朝阳区", ("北京市", "长春市"), "北京朝阳区", "110000"),  # a name places in two provinces share
        ("老家湖南,人在深圳", ("湖南省", "深圳市"), "在深圳交", "440000"),  # a home and a present place
    ],
)
def test_an_unsettled_place_asks_with_the_options(
    wizard: Wizard, renderer: Renderer, place: str, options: tuple[str, str], answer: str, province: str
) -> None:
    s, view = run(wizard, "城乡居民", place)
    assert "province" not in s.slots and view.notice == "ambiguous_place"
    text = html_to_text(renderer.render(view))
    assert all(o in text for o in options)
    s, _ = run(wizard, answer, session=s)
    assert s.slots["province"] == province


def test_a_refused_channel_is_dropped_in_the_next_message(wizard: Wizard) -> None:
    s, _ = run(wizard, "我是灵活就业人员,在长沙,想用微信交")
    assert s.state == "instructions"
    s2, view = run(wizard, "不要微信了", session=s)
    assert s2.state == "channel" and "channel" not in s2.slots and view.state == "channel"
    s3, _ = run(wizard, "不要微信了,用支付宝", session=s)
    assert s3.state == "instructions" and s3.slots["channel"] == "alipay"


def test_a_refused_place_is_dropped(wizard: Wizard) -> None:
    s, _ = run(wizard, "灵活就业 长沙")
    s2, _ = run(wizard, "我不在长沙了", session=s)
    assert "province" not in s2.slots and s2.state == "province"
    s3, _ = run(wizard, "以前在长沙,现在在广州", session=s)
    assert s3.slots["province"] == "440000"


def test_who_is_kept_in_the_session(wizard: Wizard) -> None:
    s, _ = run(wizard, "给孙子交医保")
    assert s.who == "grandchild" and s.slots["identity"] == "resident"
    again = Session.from_json(s.to_json())
    assert again == s
