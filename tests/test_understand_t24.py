"""Understanding typed questions, session 13 (helper t24): the classes of misses of the slot fields
(identity, channel, who, region, amount, people) fixed in the s16_-s19_ tuning part, one test each, with
sentences written for the test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # both parents in northern and rural words (convention 26)
        ("给爹娘交医保 在哪交"),
        ("爹妈的新农合今年多少钱"),
    ],
)
def test_both_parents_in_rural_words(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ("parent",)}


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # large households counted by heads
        ("家里九个人 医保能一起交吗", 9),
        ("我们一家十二个人 都要交居民医保", 12),
        ("十一个人的医保一共多少钱", 11),
    ],
)
def test_large_households(catalog: Catalog, text: str, people: int) -> None:
    assert fields_of(text, catalog, ("people",)) == {"people": people}


@pytest.mark.parametrize(
    "text",
    [
        # small food trades, freelance instructors, work without a contract (convention 21)
        ("我在县城卖早餐 医保怎么交"),
        ("开了个小餐馆 想自己交医保"),
        ("做私教的 没单位 医保去哪交"),
        ("公司跟我们不签劳动合同 医保只能自己交吗"),
    ],
)
def test_trades_without_an_employer(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": "flexible"}


@pytest.mark.parametrize(
    "text",
    [
        # a spouse or a parent named only as background before the user names themselves alone
        # (convention 23)
        ("我老婆在厂里有社保 我自己的医保去哪交"),
        ("老公在工地上干活 我想给自己交个医保"),
        ("我爸妈在老家种地 我自己在城里交医保要带啥"),
    ],
)
def test_background_person_before_the_user_alone(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ("self",)}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # the user's work right after 我自己 names the payer, not an insured person
        ("我自己开网约车 女儿的医保在哪交", ("child",)),
        ("我自己跑外卖 给儿子交医保怎么弄", ("child",)),
        # …but a scheme paid right after it is the user's own
        ("给我自己交灵活就业医保 在哪交", ("self",)),
    ],
)
def test_the_users_work_names_the_payer(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    "text",
    [
        # the village, the community or a cadre collecting is the hall (convention 27)
        ("网格员上门收医保 能刷微信吗"),
        ("社区收医保的人什么时候来"),
        ("村上收不收今年的新农合"),
        ("村里收的钱交上去了吗 在哪查"),
    ],
)
def test_collection_in_person_is_the_hall(catalog: Catalog, text: str) -> None:
    """The rules' reading: the model may guess otherwise on a short message (session 14's model reads
    社区收医保的人什么时候来 as a hotline question, and a hotline question names no channel)."""
    assert fields_of(text, catalog, ("channel",), use_fallback=False) == {"channel": "hall"}


@pytest.mark.parametrize(
    "text",
    [
        # in a hotline question the office named is whom to call or complain about, not a way to pay
        ("投诉 村委会收医保乱收费"),
        ("医保局大厅办不了 该打哪个电话"),
        ("税务局缴费电话是多少"),
        ("社保局那边电话打不通 还能找谁"),
    ],
)
def test_office_in_a_hotline_question(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("channel",)) == {"channel": None}


@pytest.mark.parametrize(
    ("text", "identity"),
    [
        # two schemes held at once in a double-enrolment question give no identity (convention 25)
        ("交着灵活就业 家里又给我交了新农合 重复了吧", None),
        ("老家交了居民医保 在苏州又交了灵活就业 停哪个", None),
        # …unless the user says which they are
        ("我是灵活就业人员 老家又交了新农合 重复了怎么退", "flexible"),
    ],
)
def test_two_schemes_held_at_once(catalog: Catalog, text: str, identity: str | None) -> None:
    assert fields_of(text, catalog, ("intent", "identity")) == {"intent": "duplicate", "identity": identity}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # 宝宝 past the first year or at a kindergarten is a child (convention 22)
        ("宝宝四岁了 医保在哪交", ("child",)),
        ("我家宝宝今年3岁 医保多少钱", ("child",)),
        ("宝宝上幼儿园了 医保怎么交", ("child",)),
        # …without an age, or months old, a newborn
        ("宝宝的医保怎么办", ("newborn",)),
        ("宝宝五个月 能交医保吗", ("newborn",)),
    ],
)
def test_a_baby_past_the_first_year(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    "text",
    [
        # a university student by the year or the studies
        ("大一新生 医保在学校交吗"),
        ("在长沙读大学 医保交哪里"),
    ],
)
def test_university_student(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ("student",)}


@pytest.mark.parametrize(
    ("text", "identity"),
    [
        # the user's own work, when paying only for another person, is the payer's, not the insured's
        ("我在杭州开网约车 想给我妈交医保", None),
        ("我跑快递 老公没工作 他的医保怎么交", None),
        # …but a trade said outright or shared still names the identity
        ("我是个体户 老婆也是 医保一个月多少", "flexible"),
        ("老公开出租的 给他交医保在哪交", "flexible"),
    ],
)
def test_the_payers_work(catalog: Catalog, text: str, identity: str | None) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": identity}
