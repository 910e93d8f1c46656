"""The nearest-word search (bot/understand/nearest.py) finds what rapidfuzz's extractOne with the OSA
distance finds. rapidfuzz is a test dependency only: at run time it costs 3.1 MiB resident."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.catalog.catalog import Catalog
from bot.understand import lexicon_for
from bot.understand.nearest import NearestWords

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _typo(word: str, rng: random.Random) -> str:
    """``word`` with up to three random edits (insert, delete, substitute, swap)."""
    s = list(word)
    for _ in range(rng.randint(0, 3)):
        op, i = rng.randrange(4), rng.randrange(len(s) + 1)
        if op == 0:
            s.insert(i, rng.choice(LETTERS))
        elif op == 1 and i < len(s):
            del s[i]
        elif op == 2 and i < len(s):
            s[i] = rng.choice(LETTERS)
        elif i + 1 < len(s):
            s[i], s[i + 1] = s[i + 1], s[i]
    return "".join(s)


def _rapidfuzz(text: str, words: tuple[str, ...], k: int) -> tuple[str, int] | None:
    best = process.extractOne(text, words, scorer=OSA.distance, score_cutoff=k)
    return None if best is None else (best[0], int(best[1]))


def test_examples() -> None:
    index = NearestWords(("changsha", "chengdu", "changchun", "wechat"))
    assert index.nearest("changshaa", 2) == ("changsha", 1)
    assert index.nearest("cahngsha", 1) == ("changsha", 1)  # a swap is one edit
    assert index.nearest("wehcat", 1) == ("wechat", 1)
    assert index.nearest("beijing", 2) is None
    assert NearestWords(("abcd", "abce")).nearest("abcx", 1) == ("abcd", 1)  # the first of equals


@pytest.mark.parametrize("k", [1, 2])
def test_agrees_with_rapidfuzz_over_the_lexicon(catalog: Catalog, k: int) -> None:
    """Typos of every long ASCII word of the shipped lexicon, and random letters."""
    words = tuple(lexicon_for(catalog).fuzzy_ascii)
    index = NearestWords(words)
    rng = random.Random(18 + k)
    texts = [_typo(w, rng) for w in words for _ in range(8)]
    texts += ["".join(rng.choices(LETTERS, k=rng.randint(5, 14))) for _ in range(1000)]
    wrong = [(t, index.nearest(t, k), _rapidfuzz(t, words, k)) for t in texts if t]
    wrong = [w for w in wrong if w[1] != w[2]]
    assert not wrong, wrong[:10]
