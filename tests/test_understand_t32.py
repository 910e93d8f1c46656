"""Understanding typed questions, session 15 (helper t32): the classes of intent misses fixed in the
s32_-s35_ tuning part, one test each, with sentences written for the test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # going to try what was said is an acknowledgement
        ("好 那我试试看", "ok"),
        ("嗯 我来试试", "ok"),
        # someone online asked with 没 or 不
        ("请问有人在线没", "ping"),
        ("现在有人在线么", "ping"),
        # thanks typed in pinyin
        ("xiexie ni", "thanks"),
        ("hao de duo xie", "thanks"),
        ("ok xie le", "thanks"),
    ],
)
def test_small_talk_in_other_words(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    "text",
    [
        # a subsidy asked (有没有补贴, 有补助吗): what the state pays of the premium
        ("低保户交居民医保有没有补贴"),
        ("这两年要补交 政府有补助吗"),
        ("重度残疾 医保补贴多少"),
    ],
)
def test_a_subsidy_asks_the_amount(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": "amount"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a bare 养老 after a place moved to or lived in (retire_to, or an unnamed place): retiring there
        ("我妈搬到昆明养老了 她的医保在哪交", "how_to_pay"),
        ("老人去海南三亚养老 居民医保怎么交", "how_to_pay"),
        ("爸妈回老家养老了 医保还能在深圳交吗", "how_to_pay"),
        # the pension named after a place stays the pension
        ("在长沙交养老保险怎么交", "pension"),
        ("我想在广州交养老 怎么交", "pension"),
    ],
)
def test_retiring_in_a_place_is_no_pension_question(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a vague count (好几, 十几) holds an interrogative but asks nothing: the question before decides
        ("想接着交医保 不知道在哪里交 已经断了好几年", "how_to_pay"),
        ("不晓得去哪交 欠费十几天了", "how_to_pay"),
        # a real question after it still asks
        ("医保断了好几个月了 还能补吗", "deadline"),
    ],
)
def test_a_vague_count_asks_nothing(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # when to pay by so that cover is there: the time to pay
        ("居民医保几号前交才能赶上明年用", "deadline"),
        ("新农合几月份交才不耽误明年用", "deadline"),
        # how long after paying stays when cover starts
        ("交了以后要等多久才能用", "coverage_start"),
        # trying to pay for a long while without getting through asks how to pay
        ("弄了半天还是没交上 到底怎么弄", "how_to_pay"),
        ("支付宝上点了半天也没交上", "how_to_pay"),
    ],
)
def test_when_to_pay_by_and_a_payment_not_getting_through(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # the day cover starts asked last, after care away named before: when cover starts
        ("孩子在外地读书 放假回来看病能用吗 从几号开始算", "coverage_start"),
        ("在老家交的新农合 去外地住院能用吗 从什么时候开始生效", "coverage_start"),
        # care away asked last stays remote care
        ("人在外省住院了 老家交的医保能报吗", "remote_care"),
    ],
)
def test_the_day_cover_starts_asked_last(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # whether two insurances must be paid together: a duty, not the pension
        ("个体户交医保 养老保险必须一起交吗", "legal"),
        ("医保和养老是捆绑交的吗 我只想要一个", "legal"),
        # the pension asked on its own stays the pension
        ("养老保险每个月交多少", "pension"),
    ],
)
def test_must_two_insurances_be_paid_together(catalog: Catalog, text: str, intent: str) -> None:
    assert fields_of(text, catalog, ("intent",), use_fallback=False) == {"intent": intent}
