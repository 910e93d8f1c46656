"""Scoring the understanding module against labelled phrasings (``tests/data/nlu_cases.yaml``).

Expected regions are place NAMES resolved through the catalog's exact alias table, so a city without
its own flow file counts as its province today and as itself once its file lands.
"""

from __future__ import annotations

import statistics
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from bot.catalog.catalog import Catalog, normalize
from bot.catalog.models import CHANNELS, IDENTITIES, INTENTS, WHO
from bot.understand.parse import USE_FALLBACK, understand
from bot.understand.place_words import place_words

FIELDS: tuple[str, ...] = ("identity", "region", "channel", "intent", "amount", "who", "people")
ALLOWED: dict[str, tuple[str, ...]] = {  # the values a label of each field may take
    "identity": IDENTITIES, "channel": CHANNELS, "intent": INTENTS, "who": WHO,
}  # fmt: skip
REGION_MISS_KINDS = ("other province", "same province", "none found", "none labelled")
HELD_OUT_SHARE = 30  # percent of the labelled phrasings kept out of all tuning (chosen by a hash of the text)


class _Unlabelled:
    """The expected value of a field a file never labels (older files have no ``who``): anything goes."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "-"


UNLABELLED: Any = _Unlabelled()


@dataclass(frozen=True)
class Case:
    """One labelled message: the text and the expected value of each field (None: nothing)."""

    text: str
    expected: dict[str, Any]
    line: int
    source: str = ""  # the name of the file it comes from


@dataclass
class Score:
    """The outcome of one evaluation run."""

    cases: list[Case]
    got: list[dict[str, Any]]
    timings_us: list[float] = field(default_factory=list)
    cpu_us: list[float] = field(default_factory=list)  # CPU time of the same calls (no waiting for a core)
    guessed: list[bool] = field(default_factory=list)  # the intent came from the statistical fallback

    def fallback(self) -> tuple[int, int]:
        """How many intents the statistical fallback chose, and how many of those were right."""
        pairs = [(c, g) for c, g, x in zip(self.cases, self.got, self.guessed, strict=False) if x]
        return len(pairs), sum(c.expected["intent"] == g["intent"] for c, g in pairs)

    def all_right(self) -> float:
        """Share of cases with every field as expected."""
        hits = sum(
            all(c.expected[f] == g[f] for f in FIELDS) for c, g in zip(self.cases, self.got, strict=True)
        )
        return hits / len(self.cases)

    def accuracy(self, name: str) -> float:
        """Share of cases whose ``name`` field is exactly as expected (an expected None included)."""
        hits = sum(c.expected[name] == g[name] for c, g in zip(self.cases, self.got, strict=True))
        return hits / len(self.cases)

    def per_intent(self) -> dict[str, tuple[int, float, float]]:
        """For each intent (and "none"): number of cases, recall and precision."""
        out = {}
        labels = sorted({str(c.expected["intent"]) for c in self.cases})
        for label in labels:
            exp = [str(c.expected["intent"]) == label for c in self.cases]
            pred = [str(g["intent"]) == label for g in self.got]
            both = sum(e and p for e, p in zip(exp, pred, strict=True))
            out["none" if label == "None" else label] = (
                sum(exp),
                both / sum(exp),
                both / sum(pred) if sum(pred) else 1.0,
            )
        return out

    def misses(self, name: str) -> list[tuple[Case, Any]]:
        """Cases whose ``name`` field is wrong, with what was found instead."""
        return [
            (c, g[name]) for c, g in zip(self.cases, self.got, strict=True) if c.expected[name] != g[name]
        ]

    def confusion(self, name: str) -> Counter[tuple[str, str]]:
        """How often each (expected, found) pair occurs among the misses of ``name``."""
        return Counter((str(c.expected[name]), str(found)) for c, found in self.misses(name))

    def region_misses(self, catalog: Catalog) -> dict[str, list[tuple[Case, Any]]]:
        """The region misses by kind: ``other province`` (sent to the instructions of a province other
        than the labelled one: the harmful kind), ``same province`` (another region of the labelled
        province), ``none found`` (a region labelled, none found) and ``none labelled`` (a region found
        where the message names none to pay in)."""
        out: dict[str, list[tuple[Case, Any]]] = {k: [] for k in REGION_MISS_KINDS}
        for c, found in self.misses("region"):
            expected = c.expected["region"]
            if expected is None:
                kind = "none labelled"
            elif found is None:
                kind = "none found"
            elif catalog.province_of(found) != catalog.province_of(expected):
                kind = "other province"
            else:
                kind = "same province"
            out[kind].append((c, found))
        return out

    def timing(self, cpu: bool = False) -> tuple[float, float]:
        """Median and 99th percentile of the time to understand one message, in microseconds: wall-clock
        time, or with ``cpu`` the thread's CPU time (which a machine shared with other work does not
        inflate)."""
        times = self.cpu_us if cpu else self.timings_us
        if len(times) < 2:
            return (times[0], times[0]) if times else (0.0, 0.0)
        return statistics.median(times), statistics.quantiles(times, n=100)[98]


def held_out(case: Case) -> bool:
    """True for the share of cases kept out of tuning: a fixed hash of the text, so it never changes."""
    return zlib.crc32(case.text.encode("utf-8")) % 100 < HELD_OUT_SHARE


def tuning_part(data: Path, catalog: Catalog) -> list[Case]:
    """What the rules may be tuned and the intent fallback trained on: ``nlu_cases.yaml`` and the cases of
    ``nlu/`` that :func:`held_out` leaves in, in that order."""
    cases = load_cases(data / "nlu_cases.yaml", catalog)
    return cases + [c for c in load_dir(data / "nlu", catalog) if not held_out(c)]


def load_dir(path: Path, catalog: Catalog, only: str | None = None) -> list[Case]:
    """Every ``*.yaml`` file of labelled cases in ``path`` (whose name contains ``only``), in name order."""
    files = [f for f in sorted(path.glob("*.yaml")) if only is None or only in f.name]
    return [c for f in files for c in load_cases(f, catalog)]


def load_cases(path: Path, catalog: Catalog) -> list[Case]:
    """Read labelled cases; a region name must name a region or a gazetteer place exactly (no fuzzy
    matching here)."""
    text = path.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("- ")]
    cases = []
    for item, line in zip(raw, starts, strict=True):
        unknown = set(item) - {"text", *FIELDS}
        if unknown or not isinstance(item.get("text"), str):
            raise ValueError(f"{path}:{line}: needs text; unknown keys {sorted(unknown)}")
        expected: dict[str, Any] = {k: item.get(k) for k in FIELDS}
        for k, allowed in ALLOWED.items():
            if expected[k] is not None and expected[k] not in allowed:
                raise ValueError(f"{path}:{line}: {k} {expected[k]!r} is not one of {allowed}")
        if expected["region"] is not None:
            code = region_code(catalog, expected["region"])
            if code is None:
                raise ValueError(f"{path}:{line}: region {expected['region']!r} names no region")
            expected["region"] = code
        if expected["amount"] is not None:
            expected["amount"] = Decimal(str(expected["amount"]))
        cases.append(Case(item["text"], expected, line, path.name))
    for name in ("who", "people"):  # fields a file never labels are not scored for it
        if all(name not in item for item in raw):
            for c in cases:
                c.expected[name] = UNLABELLED
    return cases


def region_code(catalog: Catalog, name: object) -> str | None:
    """The region code a label's place name names: a region of the catalog or a gazetteer place, exactly
    (no fuzzy matching); None when it names neither."""
    key = normalize(str(name))
    return catalog.alias_index.get(key) or _places(catalog).get(key)


_PLACES: dict[int, dict[str, str]] = {}


def _places(catalog: Catalog) -> dict[str, str]:
    """Gazetteer place word -> region code (places shared by two provinces left out), once per catalog."""
    if id(catalog) not in _PLACES:
        words, curated = place_words(catalog, ())
        _PLACES[id(catalog)] = {w: m.region for w, m in {**words, **curated}.items() if m.region}
    return _PLACES[id(catalog)]


def _value(u: Any, name: str) -> Any:
    value = getattr(u, name)
    return (value[0] if value else None) if name == "who" else value


def evaluate(
    cases: list[Case], catalog: Catalog, rounds: int = 0, use_fallback: bool = USE_FALLBACK
) -> Score:
    """Understand every case; with ``rounds`` > 0 also time each message that many times; with
    ``use_fallback`` the statistical fallback may choose the intent where the rules are unsure."""
    got, guessed = [], []
    for c in cases:
        u = understand(c.text, catalog, use_fallback)
        got.append({k: _value(u, k) for k in FIELDS})
        guessed.append(u.intent_guessed)
    score = Score(cases, got, guessed=guessed)
    clock, cpu = time.perf_counter_ns, time.thread_time_ns
    for _ in range(rounds):
        for c in cases:
            t0, c0 = clock(), cpu()
            understand(c.text, catalog, use_fallback)
            c1, t1 = cpu(), clock()
            score.timings_us.append((t1 - t0) / 1000)
            score.cpu_us.append((c1 - c0) / 1000)
    return score
