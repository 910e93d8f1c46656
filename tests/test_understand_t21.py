"""Understanding typed questions, session 12 (helper t21): classes of misses in the non-intent fields
(identity, region, channel, who, people) of the s13_ to s15_ tuning parts, one test each, with sentences
written for the test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # 冇 (Cantonese 没有) is never guessed: 有退休金 says the opposite of 冇退休金
        ("我爸有退休金 他的医保怎么交"),
        ("对养老金有没有影响"),
        ("我妈有养老金的 医保在哪交"),
    ],
)
def test_having_a_pension_is_no_resident(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": None}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # an old couple's word and dialect words for a spouse
        ("帮老伴交居民医保 在哪交", ("spouse",)),
        ("俺女人的医保今年还没交", ("spouse",)),
        # a wife's father, a father in other words
        ("老丈人的医保能在网上交吗", ("parent",)),
        ("咱爸的医保今年交了没", ("parent",)),
        ("老爷子的医保去哪办", ("parent",)),
        # children counted by their order
        ("二宝的医保怎么上", ("child",)),
        ("我家老大上初中了 医保在学校交吗", ("child",)),
        # pinyin
        ("gei xiaohai jiao yibao", ("child",)),
        ("wo ma de yibao zai na jiao", ("parent",)),
        # a new university student
        ("大学新生的医保跟着学校交吗", ("student",)),
    ],
)
def test_more_words_for_people(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # a person who died is not whom the insurance is for
        ("老伴去年过世了 我一个人的医保怎么交", ()),
        ("父母都不在了 我自己的医保在哪交", ("self",)),
        ("我爸前年去世了 我妈的医保还要交吗", ("parent",)),
    ],
)
def test_a_person_who_died_is_not_insured(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    ("text", "identity"),
    [
        # the countryside after a place is rural (convention 3)
        ("我爸在邵阳乡下 医保在哪交", "resident"),
        # an age only residents pay at, with 好几 or 出头, or alone after a word of one's years
        ("我妈八十好几了 医保怎么交", "resident"),
        ("奶奶六十出头 医保交哪种", "resident"),
        ("我爸今年七十一 医保在哪交", "resident"),
        ("老太太九十 她的医保怎么弄", "resident"),
        ("我妈现在68 医保在哪交", "resident"),
        # no age: another number, a money figure, a figure going on
        ("今年三十五 医保怎么交", None),
        ("今年六十块的医保", None),
        ("今年650元 怎么交", None),
    ],
)
def test_rural_and_old_age(catalog: Catalog, text: str, identity: str | None) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": identity}


@pytest.mark.parametrize(
    ("text", "identity"),
    [
        # at an age only residents pay at, an occupation or having no employer does not make a flexible worker
        ("我妈七十二岁 没有单位 医保在哪交", "resident"),
        ("我爸今年六十六 没单位 医保怎么交", "resident"),
        # a scheme named outright still decides
        ("我六十二了 还在跑滴滴 想交职工医保", "flexible"),
    ],
)
def test_an_old_age_outweighs_an_occupation(catalog: Catalog, text: str, identity: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": identity}


@pytest.mark.parametrize(
    "text",
    [
        # a shop on a platform, online trade
        ("我开了个拼多多店 医保咋交"),
        ("在家做电商 医保怎么交"),
        # nobody paying one's insurance at work
        ("在餐馆打工 没人给买保险 医保能自己交吗"),
    ],
)
def test_online_shops_and_no_insurance_at_work(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": "flexible"}
