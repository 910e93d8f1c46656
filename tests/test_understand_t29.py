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


@pytest.mark.parametrize(
    ("text", "identity"),
    [
        # two enrolments of one scheme named in a double-enrolment question: that scheme is the identity;
        # an employer's insurance against a resident scheme still gives none (convention 25)
        ("在城里交了居民医保 老家的新农合还用交吗", "resident"),
        ("镇上收了新农合 我又在网上交了城乡居民医保 交重了吧", "resident"),
        ("单位交了医保 老家的新农合还要交吗", None),
        ("公司交了职工医保 老家又交了一份居民医保 能退吗", None),
    ],
)
def test_one_scheme_enrolled_twice_is_the_identity(catalog: Catalog, text: str, identity: str | None) -> None:
    assert fields_of(text, catalog, ("intent", "identity")) == {"intent": "duplicate", "identity": identity}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # the user's own insurance said to be settled, another person named after it: that person is asked about
        ("我自己有职工医保 闺女的居民医保在哪交", ("child",)),
        ("我自己的交过了 外孙的还没交 咋交", ("grandchild",)),
        ("我自己不用管 想给老爸老妈交 去哪交", ("parent",)),
        # a person named before, or the user paying too, keeps the user
        ("老婆帮我在老家交了 我自己在这边也交了 重复了吧", ("self",)),
        ("我自己和孩子的医保都没交 在哪交", ("self", "child")),
    ],
)
def test_the_users_own_insurance_settled(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    "text",
    [
        # paying at an office, then its number: the office is whom to call, not a way to pay
        ("长沙税务局交医保的热线是多少"),
        ("银行缴费的客服电话有吗"),
    ],
)
def test_an_office_where_one_pays_named_for_its_number(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("channel", "intent")) == {"channel": None, "intent": "hotline"}


@pytest.mark.parametrize(
    "text",
    [
        # a business licence of one's own, a small shop or a stall kept (convention 21)
        ("我有营业执照 医保在哪交"),
        ("在县城开小超市的 医保一个月多少"),
        ("在菜市场摆个摊 想自己交医保"),
        ("我是卖菜的小摊贩 医保咋交"),
    ],
)
def test_a_business_of_ones_own_is_flexible(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": "flexible"}


def test_working_in_a_shop_is_no_business(catalog: Catalog) -> None:
    assert fields_of("我在超市上班 单位有交医保 孩子的怎么交", catalog, ("identity",)) == {
        "identity": "resident"
    }


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # the home's insurance told in the past gives way to a place named now
        ("去年在老家交的医保 今年搬到株洲了 在哪交", "湖南"),
        ("以前在老家交的新农合 现在搬到常德了 在常德怎么交", "湖南"),
        # …but not when it is not the past (the insurance's unnamed place outweighs a named one)
        ("看新闻说上海医保涨了 我们这也涨吗", None),
    ],
)
def test_a_past_home_insurance_gives_way_to_a_present_place(
    catalog: Catalog, text: str, region: str | None
) -> None:
    expected = catalog.alias_index[region] if region else None
    assert fields_of(text, catalog, ("region",)) == {"region": expected}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # the user saying how they are related to the one insured names the user, not a person insured
        ("我是孩子的外婆 外孙女的医保能在我这交吗", ("grandchild",)),
        ("我是他爷爷 孙子上学的医保在哪交", ("grandchild", "student")),
        # a bare 妈 or 爸 after a word of paying for
        ("帮妈交新农合 在哪交", ("parent",)),
        ("想给爸交个医保 多少钱", ("parent",)),
    ],
)
def test_the_users_relation_and_a_bare_parent(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}
