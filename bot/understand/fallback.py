"""The statistical fallback for the intent: character n-grams and a linear model, asked only when the
rules are unsure (``parse.Doubt``: two specific intents tied, or a question with no intent found).

The weights are a small generated file, ``flows/intent_model.tsv``, written by
``scripts/train_intents.py`` from the tuning part of the labelled phrasings (never the held-out part).
Inference is plain Python: one dictionary lookup per n-gram and a softmax, so nothing heavier than the
standard library is imported at run time. Each kept n-gram's weights are packed in a ``bytes`` object,
two bytes per weight (the label's index, then the weight as a signed byte in units of ``scale``): the
loaded model then holds one string and one small bytes object per n-gram.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = "intent_model.tsv"
NONE_LABEL = "none"  # the label of a message that asks for no intent (a statement, a place named alone)
NGRAMS = (1, 2, 3)
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]+")
_EDGES = frozenset({"^", "$"})


def features(key: str) -> set[str]:
    """The character 1- to 3-grams of a prepared message (``text.prepare``'s key): digits collapsed to
    ``0``, each run of punctuation to one comma, with start and end marks (``^``, ``$``)."""
    text = "^" + _DIGITS.sub("0", _NOT_WORD.sub(",", key)).strip(",") + "$"
    out = {text[i : i + n] for n in NGRAMS for i in range(len(text) - n + 1)}
    return out - _EDGES


@dataclass(frozen=True)
class IntentModel:
    """A multinomial logistic regression over n-gram features.

    ``weights[feature]`` packs (label index, weight) pairs, two bytes each (see the module's docstring);
    ``bias`` holds one weight per label; ``thresholds`` the least probability at which a guess is taken,
    per kind of doubt (``tie``, ``asks``), as the cross-validation chose them."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    scale: float
    weights: dict[str, bytes]
    thresholds: dict[str, float]

    def probabilities(self, key: str) -> list[float]:
        """The probability of each label (in ``labels`` order) for the prepared message ``key``."""
        scores = list(self.bias)
        scale = self.scale
        for f in features(key):
            packed = self.weights.get(f)
            if packed:
                for i in range(0, len(packed), 2):
                    w = packed[i + 1]
                    scores[packed[i]] += (w - 256 if w > 127 else w) * scale
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


def pack(pairs: list[tuple[int, int]]) -> bytes:
    """(label index, weight in units of ``scale``, -128..127) pairs as the model keeps them."""
    return bytes(b for label, w in pairs for b in (label, w & 0xFF))


def unpack(packed: bytes) -> list[tuple[int, int]]:
    """The (label index, weight in units of ``scale``) pairs of :func:`pack`."""
    return [
        (packed[i], packed[i + 1] - 256 if packed[i + 1] > 127 else packed[i + 1])
        for i in range(0, len(packed), 2)
    ]


def load_model(path: Path) -> IntentModel | None:
    """The model in ``path``, or None when the file is absent or unreadable. The file has a header of
    ``@name<TAB>values`` lines (labels, bias, scale, thresholds), then one line per n-gram:
    ``n-gram<TAB>label:weight ...`` with weights in units of ``scale``. Read line by line, so loading
    holds little more than the model itself."""
    head: dict[str, list[str]] = {}
    weights: dict[str, bytes] = {}
    try:
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                name, _, rest = line.rstrip("\n").partition("\t")
                if name.startswith("@"):
                    head[name[1:]] = rest.split()
                else:
                    pairs = (pair.split(":") for pair in rest.split())
                    weights[name] = pack([(int(i), int(w)) for i, w in pairs])
        labels = tuple(head["labels"])
        bias = tuple(float(b) for b in head["bias"])
        scale = float(head["scale"][0])
        thresholds = {k: float(v) for k, _, v in (t.partition(":") for t in head["thresholds"])}
    except (OSError, ValueError, KeyError, IndexError):
        return None
    if len(bias) != len(labels):
        return None
    return IntentModel(labels, bias, scale, weights, thresholds)
