"""Understanding typed questions, session 10 (issue 13): the classes of misses fixed, one test each."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        # a thousands separator, half- or full-width, is part of the figure
        ("基数6,500元 一个月交多少", Decimal(6500)),
        ("按12，000的基数算", Decimal(12000)),
        ("工资3,800块", Decimal(3800)),
        ("一年交1,050.5元", Decimal("1050.5")),
    ],
)
def test_a_thousands_separator_keeps_the_figure_whole(catalog: Catalog, text: str, amount: Decimal) -> None:
    assert fields_of(text, catalog, ("amount",)) == {"amount": amount}


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # a household counted by its mouths, an old couple, the user with a spouse and a child
        ("四口之家的居民医保怎么交", 4),
        ("老两口都在农村 医保交多少", 2),
        ("一家两口的医保", 2),
        ("我和老公孩子都要交医保", 3),
        # a count right before or after a person word
        ("给三个外孙交医保", 3),
        ("外孙外孙女两个 在哪交", 2),
        # an age or a time after a person word is no count
        ("孩子两个月 能交医保吗", None),
        ("孙女3岁 医保怎么交", None),
    ],
)
def test_people_counted_with_family_words(catalog: Catalog, text: str, people: int | None) -> None:
    assert fields_of(text, catalog, ("people",)) == {"people": people}
