"""``python -m bot.understand.report [cases.yaml ...]``: accuracy of the understanding module per slot and
per intent, the misses grouped by (expected, found), and the time to understand one message."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.understand.evaluate import FIELDS, HELD_OUT_SHARE, Score, evaluate, held_out, load_cases, load_dir
from bot.understand.lexicon import lexicon_for
from bot.understand.parse import USE_FALLBACK

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CASES = (
    ROOT / "tests/data/nlu_cases.yaml",
    ROOT / "tests/data/nlu_holdout.yaml",
    ROOT / "tests/data/nlu",  # a directory: reported as its tuning part and its held-out part
)


def _name(catalog: Catalog, field: str, value: object) -> str:
    if field == "region" and isinstance(value, str) and value in catalog.regions:
        return f"{catalog.regions[value].name}({value})"
    return str(value)


def format_score(score: Score, catalog: Catalog, title: str, summary_only: bool = False) -> str:
    """A plain-text report of one evaluation; with ``summary_only`` (a held-out part) the figures alone,
    no messages, so nobody reads (and tunes to) what is held out."""
    lines = [f"== {title}: {len(score.cases)} messages", "", "per slot          accuracy"]
    lines += [f"  {f:<15} {score.accuracy(f):7.1%}" for f in FIELDS]
    lines.append(f"  {'all fields':<15} {score.all_right():7.1%}  (messages with every field right)")
    if any(score.guessed):
        used, right = score.fallback()
        lines.append(
            f"  intent fallback: chose {used} intents (rules unsure, or sure and firmly contradicted),"
            f" {right} of them right"
        )
    lines += ["", "per intent        cases   recall  precision"]
    for label, (n, recall, precision) in score.per_intent().items():
        lines.append(f"  {label:<15} {n:5}  {recall:7.1%}  {precision:8.1%}")
    missed = [(f, score.confusion(f)) for f in FIELDS if score.misses(f)]
    kinds = score.region_misses(catalog)
    lines += ["", "region misses    " + ", ".join(f"{k}: {len(v)}" for k, v in kinds.items())]
    harmful = kinds["other province"]
    lines.append(f"  sent to a province other than the labelled one: {len(harmful)}")
    if summary_only:
        wrong = round(len(score.cases) * (1 - score.all_right()))
        missed = []
        lines += ["", f"misses: {wrong} messages with a field wrong (held out: not listed)"]
    else:
        lines += [f"      {c.text} -> {_name(catalog, 'region', found)}" for c, found in harmful]
        guesses = [
            (c, g["intent"])
            for c, g, x in zip(score.cases, score.got, score.guessed, strict=False)
            if x and c.expected["intent"] != g["intent"]
        ]
        if guesses:
            lines += ["", "intent fallback's wrong guesses (expected -> guessed)"]
            lines += [f"      {c.text}: {c.expected['intent']} -> {found}" for c, found in guesses]
        lines += ["", "misses (expected -> found: count)" if missed else "misses: none"]
    for f, confusion in missed:
        for (exp, got), n in confusion.most_common():
            lines.append(f"  {f}: {_name(catalog, f, exp)} -> {_name(catalog, f, got)}: {n}")
        lines += [f"      {c.text}" for c, _ in score.misses(f)[:5]]
    if score.timings_us:
        median, p99 = score.timing()
        cpu_median, cpu_p99 = score.timing(cpu=True)
        lines += [
            "",
            f"time to understand one message: median {median:.0f} µs, p99 {p99:.0f} µs (wall clock)",
        ]
        lines.append(
            f"                                 median {cpu_median:.0f} µs, p99 {cpu_p99:.0f} µs (CPU time)"
        )
        lines.append(
            f"  ({len(score.timings_us)} timed calls, lexicon built once per catalog; on a shared machine"
        )
        lines.append("  the wall-clock p99 includes waiting for a core, the CPU time does not)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the report for each cases file; exit 1 if a file cannot be read."""
    parser = argparse.ArgumentParser(prog="python -m bot.understand.report", description=__doc__)
    parser.add_argument("cases", nargs="*", type=Path, default=list(DEFAULT_CASES))
    parser.add_argument("--flows", type=Path, default=ROOT / "flows")
    parser.add_argument("--rounds", type=int, default=20, help="timing rounds over every message")
    parser.add_argument(
        "--no-fallback",
        dest="fallback",
        action="store_false",
        default=USE_FALLBACK,
        help="the rules alone: no statistical intent fallback where they are unsure (on in the bot)",
    )
    parser.add_argument(
        "--only", help="report only the files whose name contains this (a directory's files alone)"
    )
    args = parser.parse_args(argv)
    catalog = load_catalog(args.flows)
    lexicon_for(catalog)
    for path in args.cases:
        try:
            cases = load_dir(path, catalog, args.only) if path.is_dir() else load_cases(path, catalog)
        except (OSError, ValueError) as exc:
            print(f"cannot read {path}: {exc}", file=sys.stderr)
            return 1
        parts = [(path.name, cases)]
        if path.is_dir():
            parts = [
                (f"{path.name}/ tuning part", [c for c in cases if not held_out(c)]),
                (
                    f"{path.name}/ HELD-OUT part ({HELD_OUT_SHARE}%, never tuned on)",
                    [c for c in cases if held_out(c)],
                ),
            ]
        for title, part in parts:
            score = evaluate(part, catalog, rounds=args.rounds, use_fallback=args.fallback)
            print(format_score(score, catalog, title, summary_only="HELD-OUT" in title), end="\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
