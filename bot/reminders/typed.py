"""Typed requests for a reminder: "到时候提醒我", "每月10号提醒我", "我的提醒".

Recognised before the wizard sees the text. The words are data (``reminder_requests`` in
flows/vocabulary.yaml): a message asks for a reminder when it holds the keyword (提醒) and a request word
(提醒我, 到时…提醒 …); a day of the month before a day unit ("10号", "十五日") makes it monthly; asking
to see or cancel reminders opens the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.catalog.vocabulary import GAP, ReminderWords
from bot.understand import clean_text
from bot.understand.numerals import read_integer

_MAX_DAY_CHARS = 3  # 三十一: the longest day of the month in numerals


@dataclass(frozen=True)
class ReminderRequest:
    """What a typed request asks: the list, or a reminder (monthly on ``day`` when one is named)."""

    list: bool = False
    day: int | None = None


@dataclass(frozen=True)
class _Patterns:
    ask: re.Pattern[str] | None
    list: re.Pattern[str] | None
    day_units: tuple[str, ...]


@lru_cache(maxsize=8)
def _patterns(words: ReminderWords) -> _Patterns:
    """The request words as regular expressions, built once per vocabulary (a gap allows that many
    characters between the parts of a word)."""

    def compile_words(ws: tuple[str, ...], gap: int) -> re.Pattern[str] | None:
        joined = "|".join(f".{{0,{gap}}}".join(re.escape(part) for part in w.split(GAP)) for w in ws)
        return re.compile(joined) if joined else None

    return _Patterns(
        compile_words(words.ask, words.ask_gap), compile_words(words.list, words.list_gap), words.day_units
    )


def _day(text: str, units: tuple[str, ...]) -> int | None:
    """The first day of the month (1-31) written right before a day unit: 10号, 十五日."""
    for unit in units:
        start = text.find(unit)
        while start > 0:
            before = text[:start].rstrip()
            for size in range(min(_MAX_DAY_CHARS, len(before)), 0, -1):
                number = _number(before[-size:])
                if number is not None:
                    return number if 1 <= number <= 31 else None
            start = text.find(unit, start + 1)
    return None


def _number(text: str) -> int | None:
    """An integer written in Arabic figures (at most two) or well-formed Chinese numerals, else None."""
    if text.isdigit():
        return int(text) if len(text) <= 2 else None
    return read_integer(text, strict=True)


def parse_request(text: str, words: ReminderWords) -> ReminderRequest | None:
    """The reminder request in ``text``, or None when it asks for something else."""
    t = clean_text(text).strip()
    if not words.keyword or len(t) > words.max_chars or words.keyword not in t:
        return None
    patterns = _patterns(words)
    if patterns.list is not None and patterns.list.search(t):
        return ReminderRequest(list=True)
    if patterns.ask is None or not patterns.ask.search(t):
        return None
    return ReminderRequest(day=_day(t, patterns.day_units))
