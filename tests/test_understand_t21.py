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
