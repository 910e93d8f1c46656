"""Understanding typed questions, session 15 (helper t33): the classes of identity, channel, who, region,
amount and people misses fixed in the s32_-s35_ tuning part, one test each, with sentences written for the
test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # an employer paying the pension only, never, not yet or late (convention 2: still flexible)
        ("厂里只给交养老 医保要自己弄吗"),
        ("我们店从来没交过社保 医保我想自己交"),
        ("老板从来不给交 医保能自己买吗"),
        ("公司说暂时不交社保 医保咋办"),
        ("新单位试用期不交社保 医保先自己交行吗"),
        ("老板说转正后才交社保 这几个月医保怎么办"),
        ("单位一直拖着不交社保 我想自己交医保"),
        ("工厂不给工人交社保 医保能自己交吗"),
        # more businesses of one's own (convention 21)
        ("在青岛开烧烤店 医保交多少"),
        ("在丽江跑民宿 医保去哪交"),
        ("我是装修师傅 医保怎么交"),
    ],
)
def test_an_employer_not_paying_and_own_business_are_flexible(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": "flexible"}


@pytest.mark.parametrize(
    "text",
    [
        # said of oneself, or a pension asked about: no employer, so no identity (convention 2)
        ("我从来没交过医保 现在还能交吗"),
        ("单位交了养老 医保还要自己交吗"),
        ("我只想交养老 可以吗"),
    ],
)
def test_no_employer_named_gives_no_identity(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": None}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # an old couple named together is the elder generation (convention 26)
        ("老头老太太的新农合在哪交", ("parent",)),
        ("给老头儿老太太交医保 多少钱", ("parent",)),
        # a child right before a recent day or week of its birth, a month with its part, a place between
        ("儿子前天刚出生 医保怎么办", ("newborn",)),
        ("女儿上周生的 医保啥时候上", ("newborn",)),
        ("孩子十月初出生的 今年还用交吗", ("newborn",)),
        ("娃三月份在老家出生的 医保在哪交", ("newborn",)),
        # a child just added to the family
        ("家里刚添了个闺女 医保咋办", ("newborn",)),
        # a baby just one year old is a child (convention 22)
        ("宝宝才满一岁 医保要补吗", ("child",)),
    ],
)
def test_elders_and_babies(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


def test_an_old_mans_age_decides_his_scheme(catalog: Catalog) -> None:
    # the south-western word for a father before an age only residents pay at (convention 3)
    assert fields_of("老汉八十多 医保还能交不", catalog, ("identity",)) == {"identity": "resident"}


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        # the local stations and offices of the insurance and the tax office, and the tax office in person
        ("医保去街道社保站交行吗", "hall"),
        ("我家附近的税务所能交医保吗", "hall"),
        ("去税务局现场交要排队吗", "hall"),
        # a bank's own app is the bank, not the tax app
        ("建行的app能交医保吗", "bank"),
        ("用农行app交灵活就业医保怎么操作", "bank"),
        # a clinic or a hospital in the town is where one is treated, not a way to pay
        ("镇上医院住院 新农合能报多少", None),
        ("村里卫生室拿药 医保能用吗", None),
        # a share of a deduction is no station (医保占多少)
        ("每月社保扣了八百 医保占多少", None),
    ],
)
def test_offices_banks_and_clinics(catalog: Catalog, text: str, channel: str | None) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": channel}


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # 比如 (for example) is no county of 西藏 unless named in full
        ("比如我帮我妈交 要什么材料", None),
        ("比如县的医保怎么交", "540000"),
        # a place one is no longer in, said with 现在, gives way to where one moved
        ("现在不在武汉了 去宜昌了 医保在哪交", "420000"),
    ],
)
def test_everyday_words_name_no_county(catalog: Catalog, text: str, region: str | None) -> None:
    assert fields_of(text, catalog, ("region",)) == {"region": region}


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        # the user counted with one other, nobody named: the user is insured, two people
        ("我俩都是开网约车的 医保一个月多少", {"who": ("self",), "people": 2}),
        ("咱俩都想在成都交医保", {"who": ("self",), "people": 2}),
        # …with a person named, the persons decide and the count stays
        ("想给我自己和老公交医保 我俩都是外地的", {"who": ("self", "spouse"), "people": 2}),
        # …while only a child is insured, the two are the payers: no count (convention 23)
        ("我俩都有职工医保 闺女的医保怎么交", {"who": ("child",), "people": None}),
    ],
)
def test_the_user_counted_with_one_other(catalog: Catalog, text: str, fields: dict[str, object]) -> None:
    assert fields_of(text, catalog, ("who", "people")) == fields
