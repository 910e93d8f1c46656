"""Understanding typed questions, session 13 (helper t26): the classes of misses of the slot fields
(identity, channel, who, region, amount, people) fixed in the s20_-s23_ tuning part, one test each, with
sentences written for the test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # driving one's own vehicle for hire is a trade without an employer (convention 21)
        ("我在县城跑摩的 医保怎么交"),
        ("我开卡车拉货的 医保一年多少钱"),
        ("平时蹬三轮送货 想交医保"),
        ("我是跑货车的 医保断了能补吗"),
    ],
)
def test_driving_for_hire_is_flexible(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": "flexible"}


@pytest.mark.parametrize(
    "text",
    [
        # the tax office's hall named as such is the hall, not the tax app (convention 25)
        ("明天去税务大厅交医保"),
        ("税务局大厅可以交新农合吗"),
        ("去税务服务大厅交医保要排队吗"),
    ],
)
def test_the_tax_offices_hall_is_the_hall(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": "hall"}


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        # two offices weighed up name no channel; two places of one hall still name the hall
        ("去税务大厅和去社保局交医保哪个快", None),
        ("在村委会交还是去乡里交", "hall"),
    ],
)
def test_two_offices_weighed_up(catalog: Catalog, text: str, channel: str | None) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": channel}


@pytest.mark.parametrize(
    "text",
    [
        # a child under a year, a month-old baby, a baby in other words (convention 22)
        ("孩子才两个多月 医保怎么办"),
        ("儿子三个月大了 还没上医保"),
        ("闺女满月了 医保去哪办"),
        ("小宝宝的医保要什么材料"),
    ],
)
def test_a_child_under_a_year_is_a_newborn(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ("newborn",)}


@pytest.mark.parametrize(
    "text",
    [
        # the mother giving birth, or about to, is not whom the insurance is for (convention 23)
        ("媳妇生了二胎 宝宝的医保在哪交"),
        ("老婆月底预产期 宝宝生下来怎么上医保"),
    ],
)
def test_the_mother_giving_birth_is_background(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ("newborn",)}


def test_the_wife_ill_is_still_the_insured(catalog: Catalog) -> None:
    assert fields_of("老婆生了病 医保能报多少", catalog, ("who",)) == {"who": ("spouse",)}


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # 伢, a child in Hubei and Hunan words, counted
        ("屋里两个伢的医保一共几多钱", 2),
        ("四个伢都要交新农合", 4),
    ],
)
def test_children_called_ya(catalog: Catalog, text: str, people: int) -> None:
    assert fields_of(text, catalog, ("who", "people", "identity")) == {
        "who": ("child",),
        "people": people,
        "identity": "resident",
    }
