"""Calibrate the intent fallback's thresholds on messages the rules had not seen (issue 13).

    python scripts/calibrate_intents.py

The rules were tuned on the tuning part, so a cross-validation there (``scripts/train_intents.py``) finds
them always right. Each later pass of labelled phrasings (``s5_``, ``s6_``, ``s8_`` to ``s27_``: written
without reading the rules) was instead read once by the rules as they were before that pass was tuned: those
readings are honest. For each pass, this script

* takes the rules of the commit that added the pass (``PASSES``), with ``git archive`` into a scratch
  directory, and reads the pass's TUNING part (``held_out()`` false; the held-out part is never read)
  with them in a subprocess, recording what ``_intent`` chose and its scores (the only change made to
  the old copy);
* trains the model (``train_intents.train``) on today's tuning part without that pass and the later
  ones;
* prints how often the rules, the model's own best label, and either of the two are right: no way of
  choosing between the rules and the model can do better than "either";
* finds the old rules' doubts as ``parse._doubt`` does today (``tie``, ``asks``, ``weak``) and counts,
  per kind and threshold, the guesses that would replace the rules' intent: fired, right, wrong, the
  rules' right answers lost, and the gain (right minus lost).

``weak`` is also tried with the guess restricted to a specific intent (not how to pay, no intent or
small talk) ahead of how to pay by a margin (``weak/specific+m``). Where the rules are sure, the
overrule (``parse._overrule``) is tried too: a specific intent at the threshold while the rules' own intent
is no more likely than a ceiling (``sure/overrule``), and then how to pay at the threshold where no
specific intent reaches the overrule's own (``sure/toward how to pay``). A kind is worth turning on at a threshold where the
gain summed over the passes is clearly positive and no pass loses.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import train_intents  # noqa: E402

from bot.catalog.loader import load_catalog  # noqa: E402
from bot.understand.evaluate import Case, tuning_part  # noqa: E402
from bot.understand.fallback import NONE_LABEL  # noqa: E402
from bot.understand.parse import GENERAL_INTENT, NOT_OVERRULED, fallback_key, guessable, specific  # noqa: E402

# pass (its files start "<pass>_") -> the commit whose rules had not seen it; newest first
PASSES = {
    "s27": "62ef538",  # s24_ to s27_ were written side by side (session 14) and read by the same rules
    "s26": "62ef538",
    "s25": "62ef538",
    "s24": "62ef538",
    "s23": "46c1b36",  # s20_ to s23_ (session 13, second round): the rules before t25 and t26 read them
    "s22": "46c1b36",
    "s21": "46c1b36",
    "s20": "46c1b36",
    "s19": "7f4c708",  # s16_ to s19_ were written side by side (session 13) and read by the same rules
    "s18": "7f4c708",
    "s17": "7f4c708",
    "s16": "7f4c708",
    "s15": "1a85493",  # s13_ to s15_ were written side by side (session 11) and read by the same rules
    "s14": "1a85493",
    "s13": "1a85493",
    "s12": "0b89441",
    "s11": "703f29e",
    "s10": "af5cf71",
    "s9": "b3c2a79",
    "s8": "9836b57",
    "s6": "3b7b399",
    "s5": "efdbc3c",
}


def left_out(name: str) -> tuple[str, ...]:
    """The file prefixes the model for pass ``name`` is trained without: its own and the newer passes'."""
    names = list(PASSES)
    return tuple(f"{n}_" for n in names[: names.index(name) + 1])


THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99)
MARGINS = (0.0, 0.2, 0.4)
RIVALS = (0.05, 0.1, 0.2)
_SCORE_LINE = "        score = _covered(specific[name])\n"
_RETURNED_SCORES = "scores[name] = score = _covered(specific[name])"  # _intent returns them (session 8 on)

# Run in the old copy: read the texts (JSON on stdin) with its rules; print, per text, the final intent,
# what _intent chose, the scores it weighed, and whether the scan held specific cues or an asking word.
_READER = """
import inspect, json, sys
from pathlib import Path
from bot.catalog.loader import load_catalog
import bot.understand.parse as P
catalog = load_catalog(Path(sys.argv[1]) / "flows")
seen = {}
plain = P._intent
rules_only = {"use_fallback": False} if "use_fallback" in inspect.signature(P.understand).parameters else {}
def spy(s, lex, has_figure, key):
    got = plain(s, lex, has_figure, key)
    seen["s"], seen["ruled"] = s, got[0] if isinstance(got, tuple) else got
    if isinstance(got, tuple):  # rules that return the scores themselves (session 8 on)
        seen["scores"] = dict(got[1])
    return got
P._intent = spy
out = []
for text in json.load(sys.stdin):
    seen.clear()
    getattr(P, "_SCORES", {}).clear()
    u = P.understand(text, catalog, **rules_only)
    s = seen.get("s")
    out.append({
        "rules": u.intent, "ruled": seen.get("ruled"),
        "scores": seen.get("scores", dict(getattr(P, "_SCORES", {}))),
        "specific": s is not None and any(ms for n, ms in s.intents.items()
                                   if n != P.GENERAL_INTENT and n not in P.SMALL_TALK),
        "asks": s is not None and (bool(s.other.get("asks")) or "?" in s.key),
    })
json.dump(out, sys.stdout)
"""


def old_readings(commit: str, texts: list[str]) -> list[dict]:
    """How the rules of ``commit`` read ``texts``."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        parse = Path(tmp) / "bot/understand/parse.py"
        code = parse.read_text(encoding="utf-8")
        if code.count(_SCORE_LINE) == 1:  # rules before session 8 keep their scores to themselves
            code = (
                code.replace(_SCORE_LINE, _SCORE_LINE + "        _SCORES[name] = score\n")
                + "\n_SCORES: dict = {}\n"
            )
            parse.write_text(code, encoding="utf-8")
        elif _RETURNED_SCORES not in code:
            raise SystemExit(f"{commit}: the scoring line of _intent was not found")
        done = subprocess.run(
            [sys.executable, "-c", _READER, tmp],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            env={"PYTHONPATH": tmp, "PATH": "/usr/bin:/bin"},
            cwd=tmp,
        )
    if done.returncode:
        raise SystemExit(f"{commit}: reading failed\n{done.stderr}")
    return json.loads(done.stdout)


def doubt(r: dict) -> tuple[str, tuple[str, ...]] | None:
    """The kind of doubt and its options, as ``parse._doubt`` finds them today."""
    intent, scores = r["rules"], r["scores"]
    if intent is None:
        return ("asks", ()) if r["asks"] else None
    if intent == r["ruled"] == GENERAL_INTENT and not r["specific"]:
        return "weak", ()
    if intent in scores:
        tied = tuple(n for n, v in scores.items() if v == scores[intent])
        if len(tied) > 1:
            return "tie", tied
    return None


Row = tuple[str, str, str, tuple[str, ...], dict[str, float]]  # label, rules, kind, options, probabilities
Guess = Callable[[Row, float], str | None]


def any_label(row: Row, t: float) -> str | None:
    """The fallback as ``parse._guess`` runs it: the most likely option (any label but small talk when
    none)."""
    _, rules, _, options, p = row
    best = max(options or guessable(tuple(p)), key=lambda n: p.get(n, 0.0))
    return None if best in (rules, NONE_LABEL) or p.get(best, 0.0) < t else best


def ahead(margin: float) -> Guess:
    """Only a specific intent, ahead of how to pay by ``margin``."""

    def guess(row: Row, t: float) -> str | None:
        _, rules, _, _, p = row
        best = max(specific(tuple(p)), key=p.__getitem__)
        if best == rules or p[best] < t or p[best] - p.get(GENERAL_INTENT, 0.0) < margin:
            return None
        return best

    return guess


def _rival_best(row: Row, rival: float) -> str | None:
    """The most likely specific intent where the rules are sure and their own intent (no intent included)
    is no more likely than ``rival``; None where ``parse._overrule`` would not look further."""
    _, rules, _, _, p = row
    if rules in NOT_OVERRULED or rules not in p or p[rules] > rival:
        return None
    return max(specific(tuple(p)), key=p.__getitem__)


def overrule(rival: float) -> Guess:
    """Where the rules are sure: the most likely specific intent when the rules' own intent (no intent
    included) is no more likely than ``rival``, as ``parse._overrule`` guesses."""

    def guess(row: Row, t: float) -> str | None:
        best = _rival_best(row, rival)
        return None if best is None or best == row[1] or row[4][best] < t else best

    return guess


def toward_general(rival: float) -> Guess:
    """Where the rules are sure of a specific intent or of none: how to pay when the rules' own intent is
    no more likely than ``rival`` and no specific intent reaches the overrule's threshold, as
    ``parse._overrule`` guesses it after the specific intents."""

    def guess(row: Row, t: float) -> str | None:
        best, p = _rival_best(row, rival), row[4]
        if best is None or row[1] == GENERAL_INTENT or p[best] >= train_intents.CHOSEN["disagree"]:
            return None
        return GENERAL_INTENT if p.get(GENERAL_INTENT, 0.0) >= t else None

    return guess


def cell(rows: list[Row], kind: str, guess: Guess, t: float) -> tuple[int, int, int]:
    """Fired, guess right, rules' right answers lost."""
    fired = right = lost = 0
    for row in rows:
        if row[2] != kind or (g := guess(row, t)) is None:
            continue
        fired += 1
        right += g == row[0]
        lost += row[1] == row[0]
    return fired, right, lost


def main() -> int:
    catalog = load_catalog(ROOT / "flows")
    tuning = tuning_part(ROOT / "tests/data", catalog)  # nlu_cases.yaml's sources start with no pass's prefix
    passes: dict[str, list[Row]] = {}
    for name, commit in PASSES.items():
        cases: list[Case] = [c for c in tuning if c.source.startswith(f"{name}_")]
        readings = old_readings(commit, [c.text for c in cases])
        kept = [c for c in tuning if not c.source.startswith(left_out(name))]
        data = [
            train_intents.Example(
                fallback_key(c.text, catalog), str(c.expected["intent"] or NONE_LABEL), "", None
            )
            for c in kept
        ]
        model = train_intents.train(data)
        rows: list[Row] = []
        for c, r in zip(cases, readings, strict=True):
            d = doubt(r)
            p = dict(zip(model.labels, model.probabilities(fallback_key(c.text, catalog)), strict=True))
            label = str(c.expected["intent"] or NONE_LABEL)
            rows.append((label, str(r["rules"] or NONE_LABEL), d[0] if d else "", d[1] if d else (), p))
        passes[name] = rows
        right = sum(r[0] == r[1] for r in rows)
        alone = sum(r[0] == max(r[4], key=r[4].__getitem__) for r in rows)
        either = sum(r[0] in (r[1], max(r[4], key=r[4].__getitem__)) for r in rows)
        print(
            f"{name}: {len(rows)} tuning messages, rules of {commit} right on {right}; model on {len(data)},"
            f" its own best label right on {alone}; rules or model right on {either} (the ceiling of any"
            " arbiter between the two)"
        )
    variants: list[tuple[str, str, Guess]] = [(k, k, any_label) for k in train_intents.KINDS]
    variants += [("weak", f"weak/specific+{m}", ahead(m)) for m in MARGINS]
    variants += [("", f"sure/overrule, rules at most {u}", overrule(u)) for u in RIVALS]
    rival = train_intents.CHOSEN["rival"]
    variants += [("", f"sure/toward how to pay, rules at most {rival}", toward_general(rival))]
    for kind, title, guess in variants:
        unsure = {n: [r for r in rows if r[2] == kind] for n, rows in passes.items()}
        print(
            f"\n{title}: {'unsure' if kind else 'sure'} (rules right) "
            + ", ".join(f"{n} {len(u)} ({sum(r[0] == r[1] for r in u)})" for n, u in unsure.items())
        )
        print(
            "     t  " + "  ".join(f"{n + ' fired/right/wrong/lost/gain':>30}" for n in passes) + "  sum gain"
        )
        for t in THRESHOLDS:
            cells = [cell(rows, kind, guess, t) for rows in passes.values()]
            text = "  ".join(f"{f'{f}/{r}/{f - r}/{lost}/{r - lost:+d}':>30}" for f, r, lost in cells)
            print(f"  {t:4}  {text}  {sum(r - lost for _, r, lost in cells):+d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
