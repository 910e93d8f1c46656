"""Understanding typed questions, session 13's intent pass (t23): the classes of intent misses fixed in the
s16_ to s19_ tuning part, one test each, with sentences written for the test (not copied from the
data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # someone on duty or alive, no answer for a while, the message received
        ("请问有人在没", "ping"),
        ("现在有人值班吗", "ping"),
        ("到底有没有活人", "ping"),
        ("发了半天不回", "ping"),
        ("我发的消息你能收到吗", "ping"),
        # dialect and spoken forms of "got it"
        ("嗯哪", "ok"),
        ("晓得啦", "ok"),
        ("中", "ok"),
        # a greeting or an acknowledgement leads in to other small talk
        ("您好 有人在不", "ping"),
        ("嗯嗯 知道了 多谢", "thanks"),
        # a one-character word inside another stays no small talk
        ("中山", None),
    ],
)
def test_small_talk_in_everyday_words(catalog: Catalog, text: str, intent: str | None) -> None:
    assert fields_of(text, catalog, ("intent",))["intent"] == intent
