"""The nearest word of a fixed list to a typed ASCII word, by optimal string alignment distance (edits:
insert, delete, substitute one character, swap two adjacent ones): changshaa -> changsha.

What rapidfuzz's ``process.extractOne(text, words, scorer=OSA.distance, score_cutoff=k)`` returns, with
the same bit-parallel distance (Hyyrö 2003, as in rapidfuzz's own pure-Python ``OSA_py``). rapidfuzz
loads every metric in every SIMD variant when any part of it is imported: 3.1 MiB of the bot's resident
memory for this one call on a rare path (a long ASCII word that matched nothing exactly). Words whose
length or letters rule out a distance within ``k`` are skipped unscored, so a search over the lexicon's
~300 words costs 5-200 µs. ``tests/test_nearest.py`` checks the results against rapidfuzz.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence


def _letters(word: str) -> int:
    """The word's characters as a bit set (characters may share a bit: the filter stays a lower bound)."""
    bits = 0
    for ch in word:
        bits |= 1 << (ord(ch) & 63)
    return bits


class NearestWords:
    """A fixed list of words, indexed by length, each with its bit masks for the distance."""

    __slots__ = ("_by_length", "_words")

    def __init__(self, words: Sequence[str]) -> None:
        self._words = tuple(words)
        self._by_length: dict[int, list[tuple[int, dict[str, int], int]]] = defaultdict(list)
        for i, word in enumerate(self._words):
            if not word:
                continue
            masks: dict[str, int] = {}
            for pos, ch in enumerate(word):
                masks[ch] = masks.get(ch, 0) | 1 << pos
            self._by_length[len(word)].append((i, masks, _letters(word)))

    def nearest(self, text: str, k: int) -> tuple[str, int] | None:
        """The word closest to ``text`` if it is at most ``k`` edits away (the first listed of equally
        close ones), with its distance; else None."""
        n, letters, best = len(text), _letters(text), None
        for m in range(max(1, n - k), n + k + 1):
            for i, masks, word_letters in self._by_length.get(m, ()):
                # Each letter of one word missing from the other costs at least one edit.
                if (letters & ~word_letters).bit_count() > k or (word_letters & ~letters).bit_count() > k:
                    continue
                d = _distance(text, m, masks)
                if d <= k and (best is None or (d, i) < best):
                    best = (d, i)
        return None if best is None else (self._words[best[1]], best[0])


def _distance(text: str, m: int, masks: dict[str, int]) -> int:
    """OSA distance between ``text`` and the word of length ``m`` whose character masks are ``masks``."""
    vp, vn, d0, pm_old, dist, top = (1 << m) - 1, 0, 0, 0, m, 1 << (m - 1)
    for ch in text:
        pm = masks.get(ch, 0)
        tr = (((~d0) & pm) << 1) & pm_old
        d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr
        hp = vn | ~(d0 | vp)
        hn = d0 & vp
        if hp & top:
            dist += 1
        if hn & top:
            dist -= 1
        hp = (hp << 1) | 1
        vp = (hn << 1) | ~(d0 | hp)
        vn = hp & d0
        pm_old = pm
    return dist
