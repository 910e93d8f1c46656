"""Understanding typed questions, session 14 (helper t29): the classes of identity, channel, who, region,
amount and people misses fixed in the s24_-s27_ tuning part (and the whole tuning part), one test each,
with sentences written for the test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # dialect words for one's child (幺儿, 囡囡, 我家丫头) and the children's scheme (少儿医保)
        ("我家幺儿今年上小学 医保咋个交"),
        ("囡囡的医保到啥辰光截止"),
        ("俺家丫头医保在手机上能交不"),
        ("少儿医保一年多少钱"),
    ],
)
def test_dialect_words_for_a_child(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who", "identity")) == {"who": ("child",), "identity": "resident"}


@pytest.mark.parametrize(
    "text",
    [
        # dialect words for a grandchild, also before 的医保 (not 娃的医保, a child's)
        ("孙娃的医保今年还没交 去哪交"),
        ("给孙伢子交医保要带啥"),
        ("重孙的新农合多少钱"),
    ],
)
def test_dialect_words_for_a_grandchild(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ("grandchild",)}


@pytest.mark.parametrize(
    "text",
    [
        # just born in other words (刚出世), a child half a year old, a child with a time word before 刚出生
        ("娃刚出世 医保在哪办"),
        ("孩子才半岁 医保多少钱"),
        ("小孩前天刚出生 怎么上医保"),
        ("闺女今年刚生下来 医保啥时候办"),
    ],
)
def test_a_newborn_in_other_words(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ("newborn",)}


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # the user counting themselves with others (我们俩, 我俩的, 我们四个), children by their order
        ("我和老伴 我们俩的新农合去哪交", 2),
        ("我跟闺女 我俩的医保一年多少", 2),
        ("我们三个的居民医保能一起交吗", 3),
        ("老大老二的医保都在微信上交吗", 2),
    ],
)
def test_the_user_counting_themselves_with_others(catalog: Catalog, text: str, people: int) -> None:
    assert fields_of(text, catalog, ("people",)) == {"people": people}


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        # the insurance's own national app is no channel to pay with; going to the insurance centre is the hall
        ("国家医保app里查不到我交的钱", None),
        ("明天去社保中心交灵活就业医保 要带啥", "hall"),
        ("到医保中心办新农合要排队吗", "hall"),
    ],
)
def test_insurance_app_and_centre(catalog: Catalog, text: str, channel: str | None) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": channel}
