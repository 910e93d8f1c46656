"""Same-sound slips in Chinese words (bot/understand/typos.py): the anchor index finds exactly what the
index it replaced found (every word under each of its characters, tried at every character), in the
same order."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from bot.catalog.catalog import Catalog
from bot.catalog.models import SLOTS
from bot.understand import lexicon_for
from bot.understand.text import is_hanzi, readings
from bot.understand.typos import TypoIndex, TypoWord


def _by_char(words: tuple[TypoWord, ...]) -> dict[str, list[tuple[str, int, tuple[str, ...], object]]]:
    index: dict[str, list[tuple[str, int, tuple[str, ...], object]]] = defaultdict(list)
    for w in sorted(words, key=lambda w: w.rank):
        for pos, ch in enumerate(w.word):
            index[ch].append((w.word, pos, w.sounds, w.value))
    return index


def _reference(key: str, index: dict[str, list[tuple[str, int, tuple[str, ...], object]]]) -> list:
    """The former search: every word under each character of ``key``, each (start, word) tried once."""
    hits = []
    seen: set[tuple[int, str]] = set()
    for i, ch in enumerate(key):
        for word, pos, sounds, value in index.get(ch, ()):
            start = i - pos
            if start < 0 or start + len(word) > len(key) or (start, word) in seen:
                continue
            seen.add((start, word))
            diff = [j for j, c in enumerate(word) if key[start + j] != c]
            if len(diff) != 1:
                continue
            typed = key[start + diff[0]]
            if is_hanzi(typed) and (len(word) >= 4 or sounds[diff[0]] in readings(typed)):
                hits.append((start, word, value))
    return hits


def _homophones(words: tuple[TypoWord, ...]) -> dict[str, list[str]]:
    """Sound -> characters of the lexicon that can be read so (the slips people make)."""
    out: dict[str, list[str]] = defaultdict(list)
    for ch in sorted({c for w in words for c in w.word}):
        for sound in sorted(readings(ch)):
            out[sound].append(ch)
    return out


def _message(words: tuple[TypoWord, ...], similar: dict[str, list[str]], rng: random.Random) -> str:
    """A few words of the slot run together, some with one or two characters swapped for another of
    the same sound or any character of the lexicon, with filler between."""
    chars = sorted({c for w in words for c in w.word})
    parts = []
    for _ in range(rng.randint(1, 5)):
        w = rng.choice(words)
        word = list(w.word)
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            j = rng.randrange(len(word))
            pool = similar.get(w.sounds[j], []) if j < len(w.sounds) and rng.random() < 0.7 else chars
            word[j] = rng.choice(pool or chars)
        parts.append("".join(word))
        parts.append("".join(rng.choices([*chars, ",", "a", "的"], k=rng.randint(0, 3))))
    return "".join(parts)


@pytest.mark.parametrize("slot", SLOTS)
def test_anchors_find_what_every_character_found(catalog: Catalog, slot: str) -> None:
    index = lexicon_for(catalog).typos[slot]
    old = _by_char(index.words)
    similar = _homophones(index.words)
    rng = random.Random(13)
    texts = [_message(index.words, similar, rng) for _ in range(3000)]
    texts += [
        w.word[:j] + c + w.word[j + 1 :] for w in index.words for j in range(len(w.word)) for c in "长沙保"
    ]
    found = 0
    for text in texts:
        got = [(start, w.word, w.value) for start, w in index.find(text)]
        assert got == _reference(text, old), text
        found += bool(got)
    assert found > 500  # the messages do hold slips


def test_examples(catalog: Catalog) -> None:
    found = [(s, w.word) for s, w in lexicon_for(catalog).typos["region"].find("我在长纱")]
    assert (2, "长沙") in found
    assert not TypoIndex(()).find("长纱")
