"""One pass over a message: every word of the lexicon found in it, with positions; typo fallbacks."""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from bot.understand.lexicon import ASCII_WORD, GAP_SPAN, LONG_ASCII, Lexicon
from bot.understand.nearest import NearestWords
from bot.understand.numerals import NUMERAL_CHARS
from bot.understand.text import Prepared
from bot.understand.typos import TypoIndex, TypoWord


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and a long message creates
# about 16 hits (their creation took about 30 of the 80 µs of its scan); nothing assigns to a hit once
# made, and it stays hashable by value.
@dataclass(slots=True, unsafe_hash=True)
class Hit:
    """A word found at ``key[start:end]`` meaning ``value`` (None for a word listed in ``not_slots``)."""

    start: int
    end: int
    value: object
    word: str
    aligned: bool = True  # False for an ASCII word found inside a longer run of letters

    @property
    def size(self) -> int:
        """Number of characters matched."""
        return self.end - self.start


@dataclass
class Scan:
    """All hits in one message, grouped by what they mean."""

    slots: dict[str, list[Hit]] = field(default_factory=lambda: defaultdict(list))
    other: dict[str, list[Hit]] = field(default_factory=lambda: defaultdict(list))
    intents: dict[str, list[tuple[tuple[int, int], ...]]] = field(default_factory=lambda: defaultdict(list))
    key: str = ""  # the prepared message the positions refer to


def scan(p: Prepared, lex: Lexicon) -> Scan:
    """Find every lexicon word in the prepared message ``p``."""
    out = Scan(key=p.key)
    parts: dict[str, list[tuple[int, int]]] = {}  # part of a gap cue -> its spans
    firsts: set[int] = set()  # the gap cues whose first part is present
    key = p.key
    for end_idx, (word, entries) in lex.automaton.iter(key):
        start, end = end_idx - len(word) + 1, end_idx + 1
        aligned = True
        if word.isascii() and ASCII_WORD.fullmatch(word):
            # Whole words, one or several ("zenme jiao" matches the cue zenmejiao).
            aligned = (start, end) in p.tokens or (start in p.starts and end in p.ends)
            if not aligned and (len(word) < LONG_ASCII or _inside_word(key, start, end)):
                continue
            if not aligned and entries[0][0] == "place":
                continue  # a gazetteer pinyin only as whole words (shenze is not in shenzen)
        if word[0].isdigit() and start and (key[start - 1].isdigit() or key[start - 1] == "."):
            continue  # a word opening with a digit is a whole number only (380了 holds no 80了)
        for kind, value in entries:
            if kind == "part":  # value: the cues this word begins (one entry for all its cues)
                parts.setdefault(word, []).append((start, end))
                firsts.update(value)
            elif kind == "intent":
                out.intents[str(value)].append(((start, end),))
            else:
                hit = Hit(start, end, value, word, aligned)
                if kind in ("identity", "region", "channel"):
                    out.slots[kind].append(hit)
                elif kind == "place":
                    out.slots["region"].append(hit)
                elif kind == "age":  # 今年六十五: a whole number, no money (今年650元, 今年六十五块)
                    if end == len(key) or not (
                        key[end] in NUMERAL_CHARS or key.startswith(lex.money_units, end)
                    ):
                        out.slots["identity"].append(hit)
                elif kind in ("prefer", "passing"):
                    out.other[f"{kind}:{value}"].append(hit)
                else:
                    out.other[kind].append(hit)
    for n in sorted(firsts):
        cue = lex.gap_cues[n]
        spans = _gap_match(cue.parts, parts)
        if spans:
            out.intents[cue.intent].append(spans)
    return out


def _inside_word(key: str, start: int, end: int) -> bool:
    """True when an ASCII match has letters on both sides (``nanchang`` inside ``hunanchangsha``)."""
    before = key[start - 1] if start > 0 else ""
    after = key[end] if end < len(key) else ""
    return before.isascii() and before.isalpha() and after.isascii() and after.isalpha()


def _gap_match(
    cue_parts: tuple[str, ...], parts: dict[str, list[tuple[int, int]]]
) -> tuple[tuple[int, int], ...] | None:
    """Spans of the first occurrence of the parts in order, each within GAP_SPAN of the previous."""
    for first in parts.get(cue_parts[0], ()):
        spans = [first]
        for part in cue_parts[1:]:
            nxt = [s for s in parts.get(part, ()) if s[0] >= spans[-1][1] and s[0] - spans[-1][1] <= GAP_SPAN]
            if not nxt:
                break
            spans.append(min(nxt))
        else:
            return tuple(spans)
    return None


def fuzzy_slots(p: Prepared, lex: Lexicon, slot: str) -> list[Hit]:
    """Typo-tolerant hits for ``slot``: one same-sound character wrong in a Chinese word (长纱 -> 长沙;
    any one character in words of four or more; typos.py), or an ASCII word one or two edits away
    (nearest.py)."""
    hits = [
        Hit(start, start + len(w.word), w.value, w.word) for start, w in _typos_found(lex.typos[slot], p.key)
    ]
    for text, start, word in _nearest_ascii(p, lex.fuzzy_words):
        hits.extend(
            Hit(start, start + len(text), value, word)
            for kind, value in lex.fuzzy_ascii[word]
            if kind == slot
        )
    return hits


@functools.lru_cache(maxsize=8)
def _typos_found(index: TypoIndex, key: str) -> tuple[tuple[int, TypoWord], ...]:
    """``index.find(key)``, kept for the last few messages: the channel's guesses are asked for twice when a
    message names no channel and no place (the region's app, then the channel)."""
    return tuple(index.find(key))


@functools.lru_cache(maxsize=4)
def _nearest_ascii(p: Prepared, words: NearestWords) -> tuple[tuple[str, int, str], ...]:
    """(text, start, nearest word) of each ASCII candidate of ``p`` that is near a word: the same for
    every slot, so searched once per message (the cache holds the last few messages)."""
    out = []
    for text, start, joined in _ascii_candidates(p):
        # two words run together get one edit only: shang neng is no slip of shancheng (山城)
        best = words.nearest(text, 1 if joined or len(text) < 8 else 2)
        if best is not None:
            out.append((text, start, best[0]))
    return tuple(out)


def _ascii_candidates(p: Prepared) -> list[tuple[str, int, bool]]:
    """Long ASCII words, and adjacent words run together ("chang sah" -> "changsah"; then True)."""
    spans = sorted(p.tokens)
    out = [(p.key[s:e], s, False) for s, e in spans if e - s >= LONG_ASCII]
    for (s1, e1), (s2, e2) in itertools.pairwise(spans):
        if e1 == s2 and LONG_ASCII <= e2 - s1 <= 12:
            out.append((p.key[s1:e2], s1, True))
    return out
