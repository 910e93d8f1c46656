"""Typed text made comparable: width, case and traditional characters folded; ASCII words located."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc
from pypinyin import Style, pinyin

_T2S = opencc.OpenCC("t2s")
_LETTERS = re.compile(r"[a-z]+")
_KEEP = frozenset("\n\t")


def clean_text(text: str) -> str:
    """``text`` in NFKC form without control and invisible format characters (null bytes, zero-width
    spaces and joiners, bidirectional marks), which only hide what a user typed."""
    flat = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in flat if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf"))


def to_simplified(text: str) -> str:
    """Traditional characters to simplified ones (OpenCC's t2s; simplified text passes unchanged)."""
    return _T2S.convert(text)


def fold(text: str) -> str:
    """NFKC, lower case, simplified characters, no whitespace: the form every word is compared in."""
    return "".join(to_simplified(unicodedata.normalize("NFKC", text).lower()).split())


def is_hanzi(ch: str) -> bool:
    """True for a CJK unified ideograph."""
    return "\u4e00" <= ch <= "\u9fff"


@lru_cache(maxsize=8192)
def readings(ch: str) -> frozenset[str]:
    """Every toneless pinyin reading of one character (长 -> chang, zhang)."""
    return frozenset(pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")[0] or ())


@dataclass(frozen=True)
class Prepared:
    """A message ready for matching: ``key`` is the folded text; ``tokens`` are its ASCII words as
    (start, end) spans in ``key`` (``chang sha`` gives two tokens but one run, ``changsha``)."""

    key: str
    tokens: frozenset[tuple[int, int]]
    words: tuple[str, ...]


def prepare(text: str) -> Prepared:
    """Fold ``text`` and find its ASCII words, keeping their positions in the folded key."""
    spaced = to_simplified(unicodedata.normalize("NFKC", text).lower())
    key = "".join(spaced.split())
    if not _LETTERS.search(key):
        return Prepared(key, frozenset(), ())
    # Position in ``key`` of each character of ``spaced`` (whitespace removed before it).
    shift, where = 0, list[int]()
    for ch in spaced:
        where.append(len(where) - shift)
        if ch.isspace():
            shift += 1
    spans = [(where[m.start()], where[m.start()] + len(m.group())) for m in _LETTERS.finditer(spaced)]
    return Prepared(key, frozenset(spans), tuple(key[s:e] for s, e in spans))
