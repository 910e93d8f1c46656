"""Train the intent fallback's model (``flows/intent_model.tsv``) on the tuning part.

    python scripts/train_intents.py           # cross-validate (context), then train and write
    python scripts/train_intents.py --check   # train and compare with the file (exit 1 if it differs)

Data: the TUNING part of the labelled phrasings, ``tests/data/nlu_cases.yaml`` and the cases of
``tests/data/nlu/`` that ``held_out()`` leaves in; the held-out part and ``tests/data/nlu_holdout.yaml``
are never read. Features: the character 1- to 3-grams of each message after the understanding module's
own normalisation, place names masked, and those of its last clause (``bot.understand.fallback.features``
of ``parse.fallback_key(text)``), present or not. Model: scikit-learn's multinomial logistic regression
(L2, lbfgs; deterministic), pruned to the ``KEEP`` n-grams with the largest weights, fitted again on those
alone, each weight rounded to a signed byte and the smallest (``SMALLEST``) dropped: the file stays small
and the loaded model (``fallback.HashedWeights``) under 0.3 MiB. scikit-learn is a dev dependency used here
only; the bot reads the file with plain Python (``bot/understand/fallback.py``).

Cross-validation: ``FOLDS`` folds; the accuracy of the model alone over every message is printed for
context. Whether the model's guess replaces the rules' reading is the arbiter's to decide
(``flows/intent_arbiter.tsv``), fitted by ``scripts/calibrate_intents.py`` on messages the rules had not
seen: the rules were tuned on the tuning part, so here they look always right. Retrain the arbiter too
when new passes are added. ``bot.understand.parse.USE_FALLBACK`` turns the fallback on in the bot
(docs/understanding.md, convention 8).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.catalog.loader import load_catalog  # noqa: E402
from bot.understand.evaluate import tuning_part  # noqa: E402
from bot.understand.fallback import (  # noqa: E402
    MODEL_FILE,
    NONE_LABEL,
    IntentModel,
    features,
    pack,
    unpack,
)
from bot.understand.parse import fallback_key  # noqa: E402

# Session 10: C 1 -> 4 and 1,500 -> 5,000 n-grams. On the calibration passes (scripts/calibrate_intents.py)
# the model alone went from 1,423 to 1,492 of 1,645 messages right (the rules before tuning: 1,493), and
# the fallback's gain at its best thresholds from +17 to +40; 10,000 n-grams at C 8 gained no more for
# twice the memory (docs/understanding.md, "Session 10: a stronger fallback").
C = 4.0  # inverse L2 strength
# Labels weigh by their counts (None). "balanced" (each label as much as the others) was tried in session 8
# (n13h): on the calibration (scripts/calibrate_intents.py) weak gained +14 at 0.6 against +10 at 0.5, but
# the held-out part, read once, had 1 intent and 2 whole messages fewer right; not kept (docs/understanding.md).
CLASS_WEIGHT = None
KEEP = 5000  # n-grams kept, by their largest absolute weight
# Weights of at most this many units of scale are dropped (session 14): the model fitted again on the kept
# n-grams spreads its weights over many labels (11 per n-gram), and summing them was most of its time per
# message; dropping those of 3 units or less leaves 3.9 per n-gram, and the model alone read 94.1 % of the
# tuning part in 5-fold cross-validation either way.
SMALLEST = 3
FOLDS = 5


@dataclass(frozen=True)
class Example:
    """One tuning message: the text the model reads (``parse.fallback_key``) and its labelled intent."""

    key: str
    label: str


def examples() -> list[Example]:
    """The tuning part of the labelled phrasings."""
    catalog = load_catalog(ROOT / "flows")
    return [
        Example(fallback_key(c.text, catalog), str(c.expected["intent"] or NONE_LABEL))
        for c in tuning_part(ROOT / "tests/data", catalog)
    ]


def train(data: list[Example], keep: int = KEEP, c: float = C) -> IntentModel:
    """Fit the model on ``data`` and prune it to ``keep`` n-grams with byte-sized weights."""
    grams = sorted({f for e in data for f in features(e.key)})
    index = {f: i for i, f in enumerate(grams)}
    rows, cols = [], []
    for r, e in enumerate(data):
        for f in features(e.key):
            rows.append(r)
            cols.append(index[f])
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(data), len(grams)))
    y = [e.label for e in data]
    fit = LogisticRegression(C=c, max_iter=5000, class_weight=CLASS_WEIGHT).fit(x, y)
    strongest = np.abs(fit.coef_).max(axis=0)  # labels x n-grams -> the largest weight of each n-gram
    kept = sorted(np.argsort(-strongest, kind="stable")[:keep])
    # Refit on the kept n-grams alone: their weights then carry what the dropped ones did
    fit = LogisticRegression(C=c, max_iter=5000, class_weight=CLASS_WEIGHT).fit(x[:, kept], y)
    labels = tuple(str(label) for label in fit.classes_)
    coef = fit.coef_  # labels x kept n-grams
    scale = float(np.abs(coef).max()) / 127 if kept else 1.0
    weights = {}
    for k, j in enumerate(kept):
        pairs = [(i, round(float(coef[i, k]) / scale)) for i in range(len(labels))]
        pairs = [(i, q) for i, q in pairs if abs(q) > SMALLEST]
        if pairs:
            weights[grams[j]] = pack(pairs)
    bias = tuple(round(float(b), 4) for b in fit.intercept_)
    return IntentModel(labels, bias, scale, weights)


def cross_validate(data: list[Example], keep: int = KEEP, c: float = C) -> float:
    """The accuracy over every message (all labels) of models trained on the other folds."""
    right = 0
    for train_idx, test_idx in KFold(FOLDS, shuffle=True, random_state=0).split(data):
        model = train([data[i] for i in train_idx], keep, c)
        for i in test_idx:
            probabilities = model.probabilities(data[i].key)
            right += model.labels[probabilities.index(max(probabilities))] == data[i].label
    return right / len(data)


def to_text(model: IntentModel, n: int) -> str:
    """The model file (read by ``bot.understand.fallback.load_model``)."""
    lines = [
        "# Intent fallback: character 1-3-gram logistic regression, weights in units of @scale.",
        f"# GENERATED by scripts/train_intents.py from {n} tuning messages; do not edit.",
        "@labels\t" + " ".join(model.labels),
        "@bias\t" + " ".join(f"{b:.4f}" for b in model.bias),
        f"@scale\t{model.scale:.6f}",
    ]
    for f, packed in sorted(model.weights.items()):
        lines.append(f + "\t" + " ".join(f"{i}:{w}" for i, w in unpack(packed)))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    parser.add_argument("--keep", type=int, default=KEEP)
    parser.add_argument("--c", type=float, default=C)
    args = parser.parse_args(argv)
    data = examples()
    path = ROOT / "flows" / MODEL_FILE
    if not args.check:
        accuracy = cross_validate(data, args.keep, args.c)
        print(
            f"{len(data)} tuning messages, {FOLDS}-fold cross-validation: the model alone right on {accuracy:.1%}"
        )
    model = train(data, args.keep, args.c)
    text = to_text(model, len(data))
    if args.check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"flows/{MODEL_FILE}: {'up to date' if same else 'DIFFERS from what the script produces'}")
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    print(
        f"wrote flows/{MODEL_FILE}: {len(data)} messages, {len(model.weights)} n-grams, {len(text.encode())} bytes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
