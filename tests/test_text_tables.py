"""The shipped text tables (bot/understand/pinyin.txt, t2s.txt) agree with pypinyin and OpenCC, and are
up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.understand import tables
from bot.understand.text import readings, to_simplified, word_readings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_table_is_up_to_date() -> None:
    """Regenerating from pypinyin, OpenCC and the shipped flows changes nothing (else: make text-tables)."""
    assert tables.main(["--check", "--flows", str(ROOT / "flows")]) == 0, "run `make text-tables`"


@pytest.mark.parametrize(
    ("word", "sounds"),
    [
        ("长沙", ("chang", "sha")),
        ("重庆", ("chong", "qing")),
        ("厦门", ("xia", "men")),
        ("成都", ("cheng", "du")),
    ],
)
def test_word_readings_in_context(word: str, sounds: tuple[str, ...]) -> None:
    """Words take their reading in context, as pypinyin's phrase dictionary gives it."""
    assert word_readings(word) == sounds


def test_character_readings() -> None:
    """A character has every toneless reading; a non-hanzi none."""
    assert readings("长") == {"chang", "zhang"}
    assert {"zhong", "chong"} <= readings("重")
    assert readings("a") == frozenset()


@pytest.mark.parametrize(
    ("traditional", "simple"),
    [
        ("長沙", "长沙"),
        ("醫療保險", "医疗保险"),
        ("廣東省", "广东省"),
        ("臺灣", "台湾"),
        ("长沙", "长沙"),
        ("abc 123", "abc 123"),
    ],
)
def test_traditional_to_simplified(traditional: str, simple: str) -> None:
    """Traditional characters become simplified ones; simplified text and ASCII pass unchanged."""
    assert to_simplified(traditional) == simple


def test_sentences_convert_as_opencc_does() -> None:
    """Whole messages written in traditional characters come out as OpenCC's t2s gives them."""
    opencc = pytest.importorskip("opencc")
    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    for simple in (
        "我在长沙，想用微信交医保",
        "灵活就业人员怎么缴费？",
        "广州市城乡居民医疗保险缴费标准",
        "银行卡代扣可以吗",
    ):
        traditional = s2t.convert(simple)
        assert to_simplified(traditional) == t2s.convert(traditional)
