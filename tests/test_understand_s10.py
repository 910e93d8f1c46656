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
