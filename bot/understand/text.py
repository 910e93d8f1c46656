"""Typed text made comparable: width, case and traditional characters folded; ASCII words located;
pinyin readings of characters and words.

Readings and simplified forms come from tables beside this module, generated from pypinyin and OpenCC
by ``python -m bot.understand.tables`` (``make text-tables``): ``pinyin.txt`` holds every character's
toneless readings and the words the lexicon reads otherwise than character by character (重庆 -> chong
qing); ``t2s.txt`` every traditional character OpenCC's t2s changes. Neither library is imported at run
time: their dictionaries cost 55 MB and 3.4 MB of memory for the few thousand entries used (issue 18).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

_LETTERS = re.compile(r"[a-z]+")
_KEEP = frozenset("\n\t")


def clean_text(text: str) -> str:
    """``text`` in NFKC form without control and invisible format characters (null bytes, zero-width
    spaces and joiners, bidirectional marks), which only hide what a user typed."""
    flat = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in flat if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf"))


T2S_TABLE = Path(__file__).with_name("t2s.txt")
PHRASES_HEADER = "# phrases"


@cache
def _t2s_table() -> tuple[dict[int, str], re.Pattern[str] | None, dict[str, str]]:
    """The character map for :meth:`str.translate`, and the phrases to convert first (with a pattern)."""
    lines = [line for line in T2S_TABLE.read_text(encoding="utf-8").splitlines() if line]
    body = [line for line in lines if not line.startswith("#") or line == PHRASES_HEADER]
    split = body.index(PHRASES_HEADER)
    chars = str.maketrans(dict(line.split(" ", 1) for line in body[:split]))
    phrases = dict(line.split(" ", 1) for line in body[split + 1 :])
    longest_first = sorted(phrases, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, longest_first))) if phrases else None
    return chars, pattern, phrases


def to_simplified(text: str) -> str:
    """Traditional characters to simplified ones (OpenCC's t2s, from t2s.txt; simplified text passes
    unchanged)."""
    chars, pattern, phrases = _t2s_table()
    if pattern is not None:
        text = pattern.sub(lambda m: phrases[m.group()], text)
    return text.translate(chars)


def fold(text: str) -> str:
    """NFKC, lower case, simplified characters, no whitespace: the form every word is compared in."""
    return "".join(to_simplified(unicodedata.normalize("NFKC", text).lower()).split())


def is_hanzi(ch: str) -> bool:
    """True for a CJK unified ideograph."""
    return "\u4e00" <= ch <= "\u9fff"


PINYIN_TABLE = Path(__file__).with_name("pinyin.txt")
FIRST_HANZI, LAST_HANZI = 0x4E00, 0x9FFF
WORDS_HEADER = "# words"
# Words whose readings were asked for, while :func:`recording_words` collects them for the generator.
_asked: set[str] | None = None


@cache
def _pinyin_table() -> tuple[list[tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Each CJK unified ideograph's readings (usual one first), and the words read otherwise."""
    lines = PINYIN_TABLE.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if not line.startswith("#") or line == WORDS_HEADER]
    split = body.index(WORDS_HEADER)
    shared: dict[str, tuple[str, ...]] = {}  # one tuple per distinct line: ~1,500 for 20,992 characters
    chars = [shared.setdefault(line, tuple(line.split())) for line in body[:split]]
    if len(chars) != LAST_HANZI - FIRST_HANZI + 1:
        raise ValueError(f"{PINYIN_TABLE}: {len(chars)} character lines; regenerate it (make pinyin)")
    words = {word: tuple(sounds) for word, *sounds in (line.split() for line in body[split + 1 :])}
    return chars, words


@lru_cache(maxsize=8192)
def readings(ch: str) -> frozenset[str]:
    """Every toneless pinyin reading of one character (长 -> chang, zhang); empty if not a hanzi."""
    return frozenset(_pinyin_table()[0][ord(ch) - FIRST_HANZI]) if is_hanzi(ch) else frozenset()


def word_readings(word: str) -> tuple[str, ...]:
    """The reading of each character of ``word`` in that word (长沙 -> chang, sha; 重庆 -> chong, qing);
    characters without a reading (not hanzi) are left out."""
    if _asked is not None:  # the generator is collecting words (and the table may not exist yet)
        _asked.add(word)
        return ()
    chars, words = _pinyin_table()
    known = words.get(word)
    if known is not None:
        return known
    return tuple(
        chars[ord(ch) - FIRST_HANZI][0] for ch in word if is_hanzi(ch) and chars[ord(ch) - FIRST_HANZI]
    )


def recording_words(into: set[str] | None) -> None:
    """Collect every word :func:`word_readings` is asked for into ``into`` (None: stop); for the
    table's generator, which keeps the readings of exactly the words the lexicon uses."""
    global _asked
    _asked = into


# A space between two Chinese characters ends a clause, as a comma does: many people type 去年在村里交的
# 今年怎么交 with no punctuation at all. Elsewhere (长沙 weixin, 交了 380) whitespace is dropped.
CLAUSE_MARK = ","
_CLAUSE_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
# Single characters typed apart (在 昆 明): a word spelled out, not clauses; the spaces between them go.
_SPELLED_OUT = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?:\s+[\u4e00-\u9fff](?![\u4e00-\u9fff]))+")


@dataclass(frozen=True)
class Prepared:
    """A message ready for matching: ``key`` is the folded text; ``tokens`` are its ASCII words as
    (start, end) spans in ``key`` (``chang sha`` gives two tokens but one run, ``changsha``)."""

    key: str
    tokens: frozenset[tuple[int, int]]
    words: tuple[str, ...]

    @cached_property
    def starts(self) -> frozenset[int]:
        """Where ASCII words start."""
        return frozenset(s for s, _ in self.tokens)

    @cached_property
    def ends(self) -> frozenset[int]:
        """Where ASCII words end."""
        return frozenset(e for _, e in self.tokens)


def prepare(text: str) -> Prepared:
    """Fold ``text`` and find its ASCII words, keeping their positions in the folded key."""
    folded = to_simplified(unicodedata.normalize("NFKC", text).lower())
    if " " in folded:
        folded = _SPELLED_OUT.sub(lambda m: "".join(m.group().split()), folded)
    spaced = _CLAUSE_SPACE.sub(CLAUSE_MARK, folded)
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
