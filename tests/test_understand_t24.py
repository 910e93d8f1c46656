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
