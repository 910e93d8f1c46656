"""Understanding typed questions, session 15 (helper t35): the classes of identity, channel, who, region,
amount and people misses fixed in the s36_-s39_ tuning part, one test each, with sentences written for the
test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # a person followed by their age keeps their word (家里老太太 + 老太太八十二)
        ("家里老太太八十二了 医保还用交吗", ("parent",)),
        ("家里老人八十三 医保去哪交", ("parent",)),
    ],
)
def test_a_person_before_an_age_is_still_named(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("identity", "who")) == {"identity": "resident", "who": who}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # dialect and southern words for grandparents, parents and step-parents
        ("阿爷嘅医保点样交", ("parent",)),
        ("揭阳 阿嬷的医保在哪交", ("parent",)),
        ("姆妈的医保哪能交", ("parent",)),
        ("阿拉爷娘的医保几钿", ("parent",)),
        ("帮继母交医保要啥材料", ("parent",)),
        ("家里两个老的医保在哪交", ("parent",)),
        # a wife in the northern word, a husband as an old wife calls him
        ("婆姨的医保今年交多少", ("spouse",)),
        ("俺家老头的医保去哪交", ("spouse",)),
        # a child in Wu and Cantonese words, a baby in Cantonese and English
        ("小囡的医保在啥地方交", ("child",)),
        ("我个仔嘅医保点交", ("child",)),
        ("bb的医保点办", ("newborn",)),
        ("家里小baby的医保怎么弄", ("newborn",)),
        ("早产儿的医保怎么办", ("newborn",)),
        # vocational and college students
        ("大专生的医保去哪交", ("student",)),
        ("技校生医保怎么交", ("student",)),
        # the northern 俺 for the user
        ("俺自己开出租 医保去哪交", ("self",)),
        ("俺和媳妇的医保咋交", ("self", "spouse")),
    ],
)
def test_dialect_words_of_persons(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("俺俩的医保一年多少钱", 2),
        ("两个仔嘅医保一齐交得唔得", 2),
    ],
)
def test_dialect_counts(catalog: Catalog, text: str, people: int) -> None:
    assert fields_of(text, catalog, ("people",)) == {"people": people}


def test_pinyin_persons(catalog: Catalog) -> None:
    assert fields_of("xinshenger yibao zenme ban", catalog, ("identity", "who")) == {
        "identity": "resident",
        "who": ("newborn",),
    }
    assert fields_of("daxuesheng yibao zai na jiao", catalog, ("who",)) == {"who": ("student",)}


@pytest.mark.parametrize(
    "text",
    [
        # shops and trades of one's own (convention 21)
        ("我是开烟酒店的 医保怎么交"),
        ("在小区门口开快递站 医保去哪交"),
        ("开了个麻将馆 医保自己交多少"),
        ("米粉店老板 医保在哪买"),
        ("喺深圳开咗间士多 医保点买"),
        ("在义乌卖小商品 医保怎么交"),
        ("平时接点私活 医保想自己交"),
        ("我是个休户 医保一年多少"),
        ("lhjy yibao zenme jiao"),
    ],
)
def test_more_trades_are_flexible(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": "flexible"}


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("全家五口的医保一共多少钱", 5),
        ("全家三口医保还没交 最晚哪天", 3),
        ("爸妈都在农村 给他们俩交医保要多少", 2),
        ("我奶奶和外公外婆 他们三个的医保一共多少", 3),
        ("老婆带着孩子在老家 她们娘俩的医保怎么交", 2),
    ],
)
def test_households_and_others_counted(catalog: Catalog, text: str, people: int) -> None:
    assert fields_of(text, catalog, ("people",)) == {"people": people}


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # a region's own app typed with a slip names its region, as the exact name does (convention 9)
        ("用皖事同给孩子交医保", "340000"),
        ("渝快半上怎么交居民医保", "500000"),
        ("粤税桶里找不到医保", "440000"),
    ],
)
def test_an_app_typed_with_a_slip_names_its_region(catalog: Catalog, text: str, region: str) -> None:
    assert fields_of(text, catalog, ("region",)) == {"region": region}


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("微伩上能给老人交医保吗", "wechat"),
        ("用icbc的app交医保行不行", "bank"),
        ("dzswj里面怎么交医保", "tax"),
        # a veterans' service station is no slip of an app
        ("退役军人服务站能办医保吗", None),
    ],
)
def test_channel_words_in_other_forms(catalog: Catalog, text: str, channel: str | None) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": channel}


@pytest.mark.parametrize(
    "text",
    [
        # a child just given birth to, named again after, is the newborn
        ("媳妇生完孩子 孩子的医保去哪办"),
        ("我三月份生的孩子 娃的医保还没交"),
        ("刚生了个儿子 医保多久内要办"),
        ("在县医院生了孩子 小孩的医保怎么交"),
    ],
)
def test_a_child_just_given_birth_to_is_a_newborn(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ("newborn",)}


def test_giving_birth_alone_is_no_newborn(catalog: Catalog) -> None:
    # the mother's care, not a child's insurance
    assert fields_of("在老家生孩子医保能报多少", catalog, ("who",)) == {"who": ()}


@pytest.mark.parametrize(
    "text",
    [
        # the grandchild's parents away at work are background (convention 23)
        ("女儿女婿在深圳上班 外孙的医保我在老家交"),
        ("儿子在外地打工 孙女的医保我来办"),
    ],
)
def test_a_grandchilds_parents_at_work_are_background(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ("grandchild",)}
