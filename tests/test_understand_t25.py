"""Understanding typed questions, session 13's second intent pass (t25): the classes of intent misses fixed
in the s20_ to s23_ tuning part, one test each, with sentences written for the test (not copied from the
data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a softened or doubled "fine"
        ("好叭", "ok"),
        ("那行叭", "ok"),
        ("okk", "ok"),
        # a caller's "hello? hello?" and whether someone is still there, in dialect
        ("喂喂", "ping"),
        ("喂喂 你还在没", "ping"),
        ("在没得", "ping"),
        # a lone hello stays a greeting
        ("喂 你好", "greeting"),
    ],
)
def test_small_talk_softened_and_called(catalog: Catalog, text: str, intent: str | None) -> None:
    assert fields_of(text, catalog, ("intent",))["intent"] == intent
