"""Chinese words typed with one character wrong (长纱 -> 长沙), found without trying every word at every
character of the message.

A word with exactly one character wrong still has an exact part where the slip is not: both halves of a
word of four or more characters cannot hold the one slip; in a word of three, the first character or the
last two are exact; in a word of two, one character. Those parts (anchors) go into one Aho-Corasick
automaton per slot, so a message is scanned once and only the words whose anchor it holds are compared
character by character. The index used before (every word under each of its characters) compared about
30 words per message and slot, most of them long identity and channel words sharing a common character
(保, 务); the anchors leave a few.

The hits are the same, in the same order, as that index gave: by the position of the word's first exact
character, then by the word's place in the lexicon, then by that character's place in the word.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from bot.understand.text import is_hanzi, readings

# Words this long or longer may have any one character wrong; shorter ones only a character of the
# same sound (长纱 -> 长沙, but not 长x).
ANY_SLIP = 4


@dataclass(frozen=True)
class TypoWord:
    """A word of a slot: its reading in the word (长沙: chang, sha), its value, its place in the lexicon."""

    word: str
    sounds: tuple[str, ...]
    value: object
    rank: int


def _anchors(word: str) -> tuple[tuple[int, str], ...]:
    """(offset, part) of the parts of ``word`` of which one is exact whatever single character is wrong."""
    size = len(word)
    if size == 2:
        return (0, word[0]), (1, word[1])
    if size == 3:
        return (0, word[0]), (1, word[1:])
    half = size // 2
    return (0, word[:half]), (half, word[half:])


class TypoIndex:
    """The words of one slot, found in a message with one character wrong."""

    __slots__ = ("_automaton", "words")

    def __init__(self, words: Iterable[TypoWord]) -> None:
        self.words = tuple(words)
        anchors: dict[str, list[tuple[int, TypoWord]]] = defaultdict(list)
        for w in self.words:
            for offset, part in _anchors(w.word):
                anchors[part].append((offset, w))
        self._automaton: ahocorasick.Automaton | None = None
        if anchors:
            self._automaton = ahocorasick.Automaton()
            for part, entries in anchors.items():
                self._automaton.add_word(part, (len(part), tuple(entries)))
            self._automaton.make_automaton()

    def find(self, key: str) -> list[tuple[int, TypoWord]]:
        """(start, word) of each word found in ``key`` with one character wrong: a hanzi, of the same
        sound in words shorter than ``ANY_SLIP``."""
        if self._automaton is None:
            return []
        found: dict[tuple[int, int, bool], tuple[int, TypoWord]] = {}
        size = len(key)
        for end, (length, entries) in self._automaton.iter(key):
            for offset, w in entries:
                start = end + 1 - length - offset
                word = w.word
                if start < 0 or start + len(word) > size:
                    continue
                diff = [j for j, c in enumerate(word) if key[start + j] != c]
                if len(diff) != 1:
                    continue
                typed = key[start + diff[0]]
                if is_hanzi(typed) and (len(word) >= ANY_SLIP or w.sounds[diff[0]] in readings(typed)):
                    first = diff[0] == 0  # the first exact character is the word's second one
                    found[(start + first, w.rank, first)] = (start, w)
        return [found[k] for k in sorted(found)]
