"""Understanding typed questions, session 13 (helper t27): the classes of identity and who misses fixed in
the whole tuning part, one test each, with sentences written for the test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # 本人 as a requirement names nobody (convention 23)
        ("补缴医保必须本人去办吗"),
        ("医保参保登记需要本人到场不"),
        ("交新农合得本人亲自去吗"),
        ("要本人带身份证过去吗"),
    ],
)
def test_in_person_as_a_requirement_names_nobody(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ()}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # the user named as 本人 still is the user; another person's presence names that person
        ("本人灵活就业 医保怎么交", ("self",)),
        ("给我爸交医保要他本人到场吗", ("parent",)),
    ],
)
def test_the_user_named_as_oneself_still_counts(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}
