"""A statistical fallback for the intent: character n-grams and a linear model, asked only when the rules
find no intent at all.

The weights are a small generated file, ``flows/intent_model.tsv``, written by
``scripts/train_intents.py`` from the labelled phrasings' tuning part (never the held-out part) and the
vocabulary's cue words. Inference is plain Python (a dictionary lookup per n-gram), so nothing heavier
than the standard library is imported at run time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = "intent_model.tsv"
NONE_LABEL = "none"
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]+")


def features(key: str) -> list[str]:
    """Character 1- to 3-grams of a folded message, digits collapsed, with start and end marks."""
    text = "^" + _DIGITS.sub("0", _NOT_WORD.sub("", key)) + "$"
    out = [text[i : i + n] for n in (1, 2, 3) for i in range(len(text) - n + 1)]
    return [f for f in out if f not in ("^", "$")]


@dataclass(frozen=True)
class IntentModel:
    """A multinomial logistic regression over n-gram features: ``weights[feature]`` holds
    ``(class index, weight)`` pairs; ``bias`` one weight per class."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[tuple[int, float], ...]]

    def probabilities(self, key: str) -> dict[str, float]:
        """The probability of each label for the folded message ``key``."""
        scores = list(self.bias)
        for f in features(key):
            for c, w in self.weights.get(f, ()):
                scores[c] += w
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {label: e / total for label, e in zip(self.labels, exp, strict=True)}

    def predict(self, key: str) -> tuple[str, float]:
        """The most likely label of the folded message ``key`` and its probability."""
        probabilities = self.probabilities(key)
        best = max(probabilities, key=probabilities.__getitem__)
        return best, probabilities[best]


def load_model(root: Path) -> IntentModel | None:
    """The model in ``root/intent_model.tsv``, or None when the file is absent or unreadable."""
    path = root / MODEL_FILE
    if not path.is_file():
        return None
    labels: tuple[str, ...] = ()
    bias: tuple[float, ...] = ()
    weights: dict[str, tuple[tuple[int, float], ...]] = {}
    try:
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                name, _, rest = line.rstrip("\n").partition("\t")
                if name == "@labels":
                    labels = tuple(rest.split(","))
                elif name == "@bias":
                    bias = tuple(float(x) for x in rest.split(","))
                else:
                    pairs = (p.split(":") for p in rest.split(","))
                    weights[name] = tuple((int(c), float(w)) for c, w in pairs)
    except (OSError, ValueError):
        return None
    if not labels or len(bias) != len(labels):
        return None
    return IntentModel(labels, bias, weights)
