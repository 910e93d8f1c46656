"""The statistical fallback for the intent: character n-grams and a linear model, asked only when the
rules are unsure (``parse.Doubt``: two specific intents tied, or a question with no intent found).

The weights are a small generated file, ``flows/intent_model.tsv``, written by
``scripts/train_intents.py`` from the tuning part of the labelled phrasings (never the held-out part).
Inference is plain Python: one table lookup per n-gram and a softmax, so nothing heavier than the
standard library is imported at run time. Each kept n-gram's weights are packed two bytes per weight
(the label's index, then the weight as a signed byte in units of ``scale``). A loaded model keeps no
string per n-gram: :class:`HashedWeights` holds the packed weights in one ``bytes`` object and finds an
n-gram by its 64-bit hash in two flat arrays (about a quarter of a dictionary's memory for
5,000 n-grams; the bot's peak memory is close to its budget, docs/performance.md).
"""

from __future__ import annotations

import math
import re
import struct
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = "intent_model.tsv"
ARBITER_FILE = "intent_arbiter.tsv"  # whether the model's guess replaces the rules' reading
NONE_LABEL = "none"  # the label of a message that asks for no intent (a statement, a place named alone)
NGRAMS = (1, 2, 3)
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]+")
_EDGES = frozenset({"^", "$"})
_PAIR = struct.Struct("Bb")  # one packed weight: label index, signed weight in units of scale


PLACE_MARK = "ψ"  # stands for each place name in the model's text (a word character no message uses)
LAST_MARK = "»"  # starts each n-gram of the last clause (a prepared key is lower case: no clash)
_MARKS_ALONE = _EDGES | {LAST_MARK + e for e in _EDGES}  # no n-grams: a start or end mark alone


def model_key(key: str, places: Iterable[tuple[int, int]]) -> str:
    """The text the model reads: the prepared message ``key`` with each place name (``places``: the scan's
    region spans) replaced by :data:`PLACE_MARK`. Which place is named says nothing of the intent, and
    thousands of names the labelled messages never used would otherwise be n-grams the model has not seen.
    Overlapping spans: the longest is replaced, the others dropped."""
    out: list[str] = []
    at = 0
    for start, end in sorted(places, key=lambda span: (span[0], -span[1])):
        if start >= at:
            out += (key[at:start], PLACE_MARK)
            at = end
    return "".join(out) + key[at:] if out else key


def features(key: str) -> set[str]:
    """The character 1- to 3-grams of the model's text (:func:`model_key`): digits collapsed to ``0``, each
    run of punctuation to one comma, with start and end marks (``^``, ``$``); and again those of its last
    clause, each prefixed with :data:`LAST_MARK`: the last clause that asks decides the intent
    (docs/understanding.md, convention 8), so the same words weigh differently there."""
    text = "^" + _DIGITS.sub("0", _NOT_WORD.sub(",", key)).strip(",") + "$"
    out = {text[i : i + n] for n in NGRAMS for i in range(len(text) - n + 1)}
    last = "^" + text[text.rfind(",") + 1 :] if "," in text else text
    out.update(LAST_MARK + last[i : i + n] for n in NGRAMS for i in range(len(last) - n + 1))
    return out - _MARKS_ALONE


@dataclass(frozen=True)
class IntentModel:
    """A multinomial logistic regression over n-gram features.

    ``weights.get(feature)`` packs (label index, weight) pairs, two bytes each (see the module's docstring;
    a dictionary when trained, :class:`HashedWeights` when loaded);
    ``bias`` holds one weight per label. Whether its guess replaces the rules' reading is the
    :class:`Arbiter`'s to decide."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    scale: float
    weights: Mapping[str, bytes]

    def probabilities(self, key: str) -> list[float]:
        """The probability of each label (in ``labels`` order) for the prepared message ``key``."""
        units = [0] * len(self.labels)  # summed in whole units of scale, scaled once
        grams = features(key)
        weights = self.weights
        if isinstance(weights, HashedWeights):
            packed = weights.joined(grams)
        else:
            packed = b"".join(p for f in grams if (p := weights.get(f)))
        for i, w in _PAIR.iter_unpack(packed):  # one pass over every n-gram's pairs
            units[i] += w
        scale = self.scale
        scores = [b + u * scale for b, u in zip(self.bias, units, strict=True)]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return [e / total for e in exp]

    def choose(self, key: str, options: tuple[str, ...] = ()) -> tuple[str, float]:
        """The most likely label of ``key`` among ``options`` (every label when empty), and its
        probability over all labels."""
        probabilities = dict(zip(self.labels, self.probabilities(key), strict=True))
        best = max(options or self.labels, key=lambda n: probabilities.get(n, 0.0))
        return best, probabilities.get(best, 0.0)


def _hash(gram: str) -> int:
    """A 64-bit hash of ``gram``'s UTF-8, never 0 (an empty slot): Python's hash of the bytes (SipHash).
    Not the hash of the string itself, which hashes its internal form: ``整`` (two bytes, ``74 65``) and
    ``te`` share it. It differs between processes (``PYTHONHASHSEED``), which does not matter: a table is
    built in the process that uses it and never stored."""
    return hash(gram.encode("utf-8")) & 0xFFFF_FFFF_FFFF_FFFF or 1


class HashedWeights(Mapping[str, bytes]):
    """The packed weights of many n-grams without a string per n-gram: one ``bytes`` object holds them all,
    and an open-addressing table (linear probing, at most three quarters full) of 64-bit hashes points into
    it. Lookups only: the n-grams themselves are not kept, so it cannot be iterated (``read_weights`` gives
    them from the file). Two n-grams of one model with the same hash are refused (ValueError); an n-gram
    the model lacks matches a kept one's hash with a chance of about one in 10^15."""

    __slots__ = ("_blob", "_count", "_keys", "_mask", "_spans")

    def __init__(self, items: Iterable[tuple[str, bytes]], count: int) -> None:
        """The table of ``items`` ((n-gram, packed weights) pairs, ``count`` of them at most), filled as they
        come: a file is read straight into it, with no dictionary in between."""
        size = 8
        while size * 3 < count * 4:
            size *= 2
        self._mask = size - 1
        self._count = 0
        self._keys = array("Q", bytes(8 * size))
        self._spans = array("Q", bytes(8 * size))  # start in the blob << 16 | length
        blob = bytearray()
        for gram, packed in items:
            if self._count == count:
                raise ValueError(f"more than {count} n-grams")
            self._count += 1
            h = _hash(gram)
            i = h & self._mask
            while self._keys[i]:
                if self._keys[i] == h:
                    raise ValueError(f"two n-grams share a hash: {gram!r}")
                i = (i + 1) & self._mask
            self._keys[i] = h
            self._spans[i] = len(blob) << 16 | len(packed)
            blob += packed
        self._blob = bytes(blob)

    def _span(self, gram: str) -> int:
        """The slot's span of ``gram`` (start << 16 | length), or -1 when the model lacks it."""
        h, keys, mask = _hash(gram), self._keys, self._mask
        i = h & mask
        while k := keys[i]:
            if k == h:
                return self._spans[i]
            i = (i + 1) & mask
        return -1

    def joined(self, grams: Iterable[str]) -> bytes:
        """The packed weights of each of ``grams`` the model holds, one after the other: what
        ``IntentModel.probabilities`` sums in one pass (the probe of :meth:`_span` inlined: every message
        asks this of some 50 to 150 n-grams)."""
        keys, spans, mask, blob = self._keys, self._spans, self._mask, self._blob
        parts = []
        for gram in grams:
            h = _hash(gram)
            i = h & mask
            while k := keys[i]:
                if k == h:
                    span = spans[i]
                    start = span >> 16
                    parts.append(blob[start : start + (span & 0xFFFF)])
                    break
                i = (i + 1) & mask
        return b"".join(parts)

    def get(self, gram: str, default: bytes | None = None) -> bytes | None:  # type: ignore[override]
        """The packed weights of ``gram``, or ``default`` (no exception raised for the many n-grams a
        model lacks)."""
        span = self._span(gram)
        if span < 0:
            return default
        start = span >> 16
        return self._blob[start : start + (span & 0xFFFF)]

    def __getitem__(self, gram: str) -> bytes:
        packed = self.get(gram)
        if packed is None:
            raise KeyError(gram)
        return packed

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        raise TypeError("HashedWeights keeps no n-grams to iterate: read_weights() reads them from the file")


def pack(pairs: list[tuple[int, int]]) -> bytes:
    """(label index, weight in units of ``scale``, -128..127) pairs as the model keeps them."""
    return bytes(b for label, w in pairs for b in (label, w & 0xFF))


def unpack(packed: bytes) -> list[tuple[int, int]]:
    """The (label index, weight in units of ``scale``) pairs of :func:`pack`."""
    return list(_PAIR.iter_unpack(packed))


def _lines(path: Path) -> Iterator[tuple[str, str]]:
    """(name, rest) of each line of the model file that is neither a comment nor blank."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#") and line.strip():
                name, _, rest = line.rstrip("\n").partition("\t")
                yield name, rest


def _packed(rest: str) -> bytes:
    """The packed weights of an n-gram's line (``label:weight ...``)."""
    return pack([(int(i), int(w)) for i, w in (pair.split(":") for pair in rest.split())])


def read_weights(path: Path) -> tuple[dict[str, list[str]], dict[str, bytes]]:
    """The header (``@name<TAB>values`` lines: labels, bias, scale) and the packed weights by
    n-gram of the model file ``path`` (one line per n-gram: ``n-gram<TAB>label:weight ...``, weights in
    units of ``scale``), for tools and tests. Raises OSError or ValueError."""
    head: dict[str, list[str]] = {}
    weights: dict[str, bytes] = {}
    for name, rest in _lines(path):
        if name.startswith("@"):
            head[name[1:]] = rest.split()
        else:
            weights[name] = _packed(rest)
    return head, weights


def load_model(path: Path) -> IntentModel | None:
    """The model in ``path`` (the format of ``read_weights``), or None when the file is absent or
    unreadable. Read twice, line by line: the header and the number of n-grams, then the weights straight
    into a :class:`HashedWeights`, so loading holds little more than the model itself."""
    try:
        head: dict[str, list[str]] = {}
        count = 0
        for name, rest in _lines(path):
            if name.startswith("@"):
                head[name[1:]] = rest.split()
            else:
                count += 1
        labels = tuple(head["labels"])
        bias = tuple(float(b) for b in head["bias"])
        scale = float(head["scale"][0])
        grams = ((name, _packed(rest)) for name, rest in _lines(path) if not name.startswith("@"))
        hashed = HashedWeights(grams, count)
    except (OSError, ValueError, KeyError, IndexError):
        return None
    if len(bias) != len(labels):
        return None
    return IntentModel(labels, bias, scale, hashed)


@dataclass(frozen=True)
class Arbiter:
    """Whether the model's most likely intent replaces the rules' reading: a logistic regression over what
    :func:`arbiter_features` gives, fitted by ``scripts/calibrate_intents.py`` on messages the rules had
    not seen (each later pass of labelled phrasings, read by the rules before that pass was tuned, and by a
    model trained without it). ``floors`` holds, per kind of the rules' doubt (``sure`` when they have
    none), the least probability at which the model's guess is weighed at all: below it the rules' reading
    stands. The file ``flows/intent_arbiter.tsv`` has one ``feature<TAB>weight`` line each, ``@bias<TAB>w``
    and ``@floor:<kind><TAB>p`` lines."""

    weights: Mapping[str, float]
    bias: float
    floors: Mapping[str, float]

    def prefers_model(self, features: Mapping[str, float], kind: str) -> bool:
        """True when the model's guess reaches the floor of ``kind`` and is the likelier right of the two."""
        if features["p_model"] < self.floors.get(kind, 1.0):
            return False
        get = self.weights.get
        return self.bias + sum(get(name, 0.0) * value for name, value in features.items()) > 0


def arbiter_features(
    rules: str, guess: str, probabilities: Mapping[str, float], kind: str, general: str
) -> dict[str, float]:
    """What the arbiter weighs when the rules read ``rules`` and the model's most likely intent is ``guess``
    (both labels, ``none`` for no intent): which intent each reads, how sure the rules are (``kind``: a
    kind of ``parse.Doubt``, or ``sure``), and the model's probability of its own guess, of the rules'
    reading (also as a logarithm: it is often tiny) and of how to pay (``general``)."""
    own = probabilities.get(rules, 0.0)
    return {
        f"rules:{rules}": 1.0,
        f"model:{guess}": 1.0,
        f"kind:{kind}": 1.0,
        "p_model": probabilities[guess],
        "p_rules": own,
        "p_general": probabilities.get(general, 0.0),
        "log_p_rules": math.log(own + 1e-6),
    }


def load_arbiter(path: Path) -> Arbiter | None:
    """The arbiter in ``path`` (the format :class:`Arbiter` describes), or None when the file is absent or
    unreadable (the fallback then stays silent)."""
    try:
        values = {name: float(rest) for name, rest in _lines(path)}
        floors = {k.removeprefix("@floor:"): v for k, v in values.items() if k.startswith("@floor:")}
        weights = {k: v for k, v in values.items() if not k.startswith("@")}
        return Arbiter(weights, values["@bias"], floors)
    except (OSError, ValueError, KeyError):
        return None
