"""Understanding typed questions, session 15 (helper t31): the classes of identity, channel, who, region,
amount and people misses fixed in the s28_-s31_ tuning part, one test each, with sentences written for the
test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # a business of one's own: a guesthouse, a clinic, a shop named by its goods, a workshop (convention 21)
        ("在丽江开客栈 医保怎么交"),
        ("我开诊所的 医保一年交多少"),
        ("在镇上开花店 医保去哪交"),
        ("开五金店的 医保能在手机上交吗"),
        ("自己开了个小作坊 医保怎么弄"),
        ("在老家开厂 医保能自己交吗"),
        # an agent's or a wedding trade, delivering food or parcels, small trade
        ("干中介的 没底薪 医保自己交多少"),
        ("做婚庆的 医保一个月多少钱"),
        ("我是送餐员 医保在哪交"),
        ("在成都做快递 医保怎么交"),
        ("在菜市场做小生意 医保咋交"),
    ],
)
def test_a_business_of_ones_own_is_flexible(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": "flexible"}


@pytest.mark.parametrize(
    "text",
    [
        # a village head or a group leader collecting, the town government, the insurance centre (convention 27)
        ("村长今年还挨家挨户来收医保吗"),
        ("小组长来收医保了 给多少钱"),
        ("去乡政府交新农合要带啥"),
        ("上周在社保中心交了医保 啥时候能查到"),
    ],
)
def test_cadres_and_offices_collecting_are_the_hall(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": "hall"}


@pytest.mark.parametrize(
    "text",
    [
        # a school, a shop or a factory in the town says where one studies or works, not a way to pay
        ("儿子在镇上初中 医保怎么交"),
        ("我在镇上超市打工 医保想自己交"),
        ("闺女在乡里的厂里上班 医保咋办"),
    ],
)
def test_a_school_or_a_workplace_in_the_town_is_no_channel(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": None}


@pytest.mark.parametrize(
    "text",
    [
        # a bank in the village or the town is the bank
        ("镇上的信用社能交医保吗"),
        ("村里的农商行可以代收医保不"),
    ],
)
def test_a_bank_in_the_village_or_town_is_the_bank(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": "bank"}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # an old wife's word for her husband (老头子), the south-western word for a wife (婆娘), a grandchild
        # called by the doubled word (孙孙)
        ("俺家老头子的医保今年还没交 去哪交", ("spouse",)),
        ("婆娘的医保在手机上咋个交", ("spouse",)),
        ("孙孙的医保多少钱一年", ("grandchild",)),
        # an old husband's word for his wife, the Sichuan words for one's father at home (屋头老汉)
        ("我家老太婆的新农合今年交了没", ("spouse",)),
        ("屋头老汉的医保在哪交", ("parent",)),
    ],
)
def test_more_words_for_a_spouse_and_a_grandchild(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # a spouse told of before another person's insurance is named is background (convention 23)
        ("老伴眼睛不好 孙女的医保我去哪交", ("grandchild",)),
        ("老公常年在外头跑车 儿子的医保怎么交", ("child",)),
        # …not when a pronoun points back to them, nor when their own clause speaks of insurance
        ("老婆没工作 她和孩子的医保一起交", ("spouse", "child")),
        ("老伴的医保交了 孙子的医保还没交", ("spouse", "grandchild")),
    ],
)
def test_a_spouse_told_of_before_anothers_insurance(
    catalog: Catalog, text: str, who: tuple[str, ...]
) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        # digits before 百, also with the next place after it (3百5)
        ("居民医保一年4百左右吧", "400"),
        ("灵活就业每月交5百多 正常吗", "500"),
        ("去年交了3百5 今年多少", "350"),
    ],
)
def test_digits_before_hundred(catalog: Catalog, text: str, amount: str) -> None:
    assert str(fields_of(text, catalog, ("amount",))["amount"]) == amount


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        # an account opened at a bank is no business of one's own
        ("在农商行开了个户 医保能自动扣吗", {"identity": None, "channel": "bank"}),
        # asking the name of a mini-program names no channel
        ("交医保的是叫什么名字的小程序", {"channel": None}),
    ],
)
def test_an_account_or_an_apps_name(catalog: Catalog, text: str, fields: dict[str, object]) -> None:
    assert fields_of(text, catalog, tuple(fields)) == fields


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # a couple counted when only another generation is insured counts the payers (convention 23)
        ("老两口在家带外孙女 外孙女的医保怎么交", None),
        ("我们夫妻俩在深圳上班 孩子的医保在老家交", None),
        # …but a couple insured, or a count of those insured, stays
        ("老两口的医保一年多少钱", 2),
        ("两个孩子的医保一起交", 2),
    ],
)
def test_a_couple_paying_for_another_generation(catalog: Catalog, text: str, people: int | None) -> None:
    assert fields_of(text, catalog, ("people",)) == {"people": people}


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # in a care question the rural scheme named after a place says where the insurance is (convention 4)
        ("我爸在深圳跟我住 他是湖南的农村医保 在深圳住院能报吗", "430000"),
        ("老家江西的合作医疗 人在上海看病怎么报", "360000"),
    ],
)
def test_the_rural_scheme_names_the_insured_place(catalog: Catalog, text: str, region: str) -> None:
    assert fields_of(text, catalog, ("region",)) == {"region": region}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # a child right before the month of its birth, no year said, is a newborn
        ("孩子11月份出生的 医保怎么办", ("newborn",)),
        ("小孩上个月刚出生 去哪上医保", ("newborn",)),
        ("娃今年三月出生的 医保多少钱", ("newborn",)),
        # …not with a year of birth said
        ("孩子2018年出生的 医保怎么交", ("child",)),
    ],
)
def test_a_child_born_in_a_month_named_is_a_newborn(
    catalog: Catalog, text: str, who: tuple[str, ...]
) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # a person asking about another person's insurance is the asker (convention 23)
        ("老伴问外孙的医保在哪交", ("grandchild",)),
        ("我妈想问孩子的医保多少钱", ("child",)),
        # …not when a pronoun points back, nor asking about nobody else
        ("我妈问她的医保交了没", ("parent",)),
        ("我爸问医保怎么交", ("parent",)),
    ],
)
def test_a_person_asking_about_another(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}
