"""A blind audit of the labelled phrasings: a second annotator labels the texts without seeing the labels,
a third decides where the two disagree, and a label moves only when the third sides with the second.

    python scripts/label_audit.py export WORK [--held-out | --tuning PREFIX ... | --new PREFIX ...] [--parts N]
    python scripts/label_audit.py check WORK NAME       # a relabel file's problems (values, region names, ids)
    python scripts/label_audit.py compare WORK          # agreement per field, counts only
    python scripts/label_audit.py disputes WORK [--parts N]   # the disagreements, for adjudication
    python scripts/label_audit.py apply WORK            # move the labels the adjudicator gave to the relabel

``WORK`` is a directory outside the repository. ``export`` writes ``blind/NAME.jsonl`` (``{"id", "text"}``,
shuffled across files so no file name hints at a label) and keeps the key (id -> file and line) in
``key/``, which annotators must not read. Annotators write ``relabel/NAME.jsonl``: one object per id with
the fields of ``bot.understand.evaluate.FIELDS`` (null for none; ``who`` one value, ``region`` a name the
catalog or gazetteer knows) and an optional ``note``. ``disputes`` writes ``adj/ADJk.jsonl``
(``{"aid", "text", "field", "A", "B"}``, the two labels in random order, nobody told which is the original);
adjudicators write ``adj/ADJk.out.jsonl`` (``{"aid", "pick": "A" | "B" | "either" | "neither", "why"}``).
``apply`` rewrites only the disputed field of a one-line flow mapping; a text never changes, so the
held-out split (a hash of the text) stays as it was. Nothing here prints a text: the held-out part is
audited without the lead reading it. How session 13 used it: docs/understanding.md, "Evidence and speed".
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.catalog.catalog import Catalog  # noqa: E402
from bot.catalog.loader import load_catalog  # noqa: E402
from bot.understand.evaluate import (  # noqa: E402
    ALLOWED,
    FIELDS,
    UNLABELLED,
    Case,
    held_out,
    load_dir,
    region_code,
)

ORDER = ("text", "identity", "region", "channel", "intent", "amount", "who", "people")
_LINE = re.compile(r"^- (\{.*\})(\s*#.*)?$")


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _value(catalog: Catalog, name: str, value: Any) -> Any:
    """A relabel's value in the form ``Case.expected`` holds it."""
    if value is None:
        return None
    if name == "region":
        return region_code(catalog, value)
    return Decimal(str(value)) if name == "amount" else value


def export(data: Path, catalog: Catalog, work: Path, tag: str, cases: list[Case], parts: int) -> list[int]:
    """Write ``cases`` in ``parts`` shuffled blind files ``TAGk.jsonl``; the key goes to ``key/TAG.json``."""
    rng = random.Random(tag)
    cases = cases[:]
    rng.shuffle(cases)
    size = -(-len(cases) // parts)
    key, sizes = {}, []
    for k in range(parts):
        chunk = cases[k * size : (k + 1) * size]
        rows = []
        for i, c in enumerate(chunk, 1):
            cid = f"{tag}{k + 1}-{i:03d}"
            key[cid] = [c.source, c.line]
            rows.append({"id": cid, "text": c.text})
        _write_jsonl(work / "blind" / f"{tag}{k + 1}.jsonl", rows)
        sizes.append(len(chunk))
    (work / "key").mkdir(parents=True, exist_ok=True)
    (work / "key" / f"{tag}.json").write_text(json.dumps(key, ensure_ascii=False), encoding="utf-8")
    return sizes


def check(catalog: Catalog, work: Path, name: str) -> list[str]:
    """The problems of ``relabel/NAME.jsonl`` (by line number, no text): bad values, unknown region
    names, unknown, repeated or missing ids."""
    ids = [r["id"] for r in _jsonl(work / "blind" / f"{name}.jsonl")]
    problems, seen = [], set()
    for n, r in enumerate(_jsonl(work / "relabel" / f"{name}.jsonl"), 1):
        if r.get("id") not in ids or r.get("id") in seen:
            problems.append(f"line {n}: id {r.get('id')!r} unknown or repeated")
        seen.add(r.get("id"))
        extra = set(r) - {"id", "note", *FIELDS}
        if extra:
            problems.append(f"line {n}: unknown keys {sorted(extra)}")
        for k, allowed in ALLOWED.items():
            if r.get(k) is not None and r[k] not in allowed:
                problems.append(f"line {n}: {k} {r[k]!r} is not one of {allowed}")
        if r.get("region") is not None and region_code(catalog, r["region"]) is None:
            problems.append(f"line {n}: region {r['region']!r} names no region or gazetteer place")
        for k in ("people", "amount"):
            if r.get(k) is not None and not isinstance(r[k], int | float):
                problems.append(f"line {n}: {k} must be a number or null")
    missing = [i for i in ids if i not in seen]
    if missing:
        problems.append(f"{len(missing)} ids missing, first {missing[0]}")
    return problems


def _key(work: Path) -> dict[str, list[Any]]:
    """Every exported id's [file, line], from the key files ``export`` wrote (not the disputes' sides)."""
    files = (f for f in sorted((work / "key").glob("*.json")) if f.stem != "disputes")
    return {k: v for f in files for k, v in json.loads(f.read_text()).items()}


def pairs(data: Path, catalog: Catalog, work: Path) -> list[tuple[str, Case, dict[str, Any], dict[str, Any]]]:
    """(id, case, relabel as ``Case.expected`` holds values, relabel as written) for every relabelled id."""
    cases = {(c.source, c.line): c for c in load_dir(data, catalog)}
    key = _key(work)
    out = []
    for f in sorted((work / "relabel").glob("*.jsonl")):
        for r in _jsonl(f):
            c = cases[tuple(key[r["id"]])]
            out.append((r["id"], c, {k: _value(catalog, k, r.get(k)) for k in FIELDS}, r))
    return out


def agreement(rows: list[tuple[str, Case, dict[str, Any], dict[str, Any]]]) -> dict[str, tuple[int, int]]:
    """Per field (and ``every field``): how many scored labels the relabel agrees with, of how many. A field
    a file never labels (``who``, ``people``) is not scored for it."""
    out = {}
    for f in FIELDS:
        scored = [(c, r) for _, c, r, _ in rows if c.expected[f] is not UNLABELLED]
        out[f] = (sum(c.expected[f] == r[f] for c, r in scored), len(scored))
    every = sum(
        all(c.expected[f] is UNLABELLED or c.expected[f] == r[f] for f in FIELDS) for _, c, r, _ in rows
    )
    out["every field"] = (every, len(rows))
    return out


def disputes(
    catalog: Catalog, rows: list[tuple[str, Case, dict[str, Any], dict[str, Any]]], work: Path, parts: int
) -> int:
    """Write each disagreement (one per id and field) for adjudication, the two labels in random order;
    the sides go to ``key/disputes.json``. Returns how many."""
    rng = random.Random(7)
    items, sides = [], {}

    def shown(name: str, value: Any) -> str:
        if value is None:
            return "none"
        return catalog.regions[value].name if name == "region" and value in catalog.regions else str(value)

    for rid, c, r, _ in rows:
        for f in FIELDS:
            if c.expected[f] is UNLABELLED or c.expected[f] == r[f]:
                continue
            a, b = ("orig", "relabel") if rng.random() < 0.5 else ("relabel", "orig")
            value = {"orig": c.expected[f], "relabel": r[f]}
            aid = f"{rid}-{f}"
            sides[aid] = {"A": a, "B": b}
            items.append(
                {"aid": aid, "text": c.text, "field": f, "A": shown(f, value[a]), "B": shown(f, value[b])}
            )
    rng.shuffle(items)
    size = -(-len(items) // parts) or 1
    for k in range(parts):
        _write_jsonl(work / "adj" / f"ADJ{k + 1}.jsonl", items[k * size : (k + 1) * size])
    (work / "key" / "disputes.json").write_text(json.dumps(sides), encoding="utf-8")
    return len(items)


def _scalar(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def rewrite(line: str, changes: dict[str, Any]) -> str | None:
    """``line`` (a one-line flow mapping of a labelled file) with ``changes`` applied (None removes a
    field); None when the line is not a one-line mapping. The text is written as JSON, which YAML reads
    back unchanged; a trailing comment is kept."""
    m = _LINE.match(line)
    if not m:
        return None
    item = yaml.safe_load(m.group(1))
    before = list(item)
    for k, v in changes.items():
        if v is None:
            item.pop(k, None)
        else:
            item[k] = v
    keys = list(item) if all(k in before for k in item) else sorted(item, key=ORDER.index)
    body = ", ".join(
        f"{k}: {json.dumps(item[k], ensure_ascii=False) if k == 'text' else _scalar(item[k])}" for k in keys
    )
    return f"- {{{body}}}" + (m.group(2) or "")


def apply(data: Path, work: Path) -> Counter[tuple[str, str]]:
    """Move each label the adjudicator gave to the relabel; counts per (field, outcome)."""
    key = _key(work)
    sides = json.loads((work / "key" / "disputes.json").read_text())
    written = {r["id"]: r for f in (work / "relabel").glob("*.jsonl") for r in _jsonl(f)}
    picks = {r["aid"]: r["pick"] for f in (work / "adj").glob("*.out.jsonl") for r in _jsonl(f)}
    tally: Counter[tuple[str, str]] = Counter()
    edits: dict[str, dict[int, dict[str, Any]]] = {}
    for aid, side in sides.items():
        rid, field = aid.rsplit("-", 1)
        pick = picks.get(aid, "undecided")
        if pick in ("A", "B") and side[pick] == "relabel":
            source, line = key[rid]
            edits.setdefault(source, {}).setdefault(line, {})[field] = written[rid].get(field)
            tally[(field, "moved")] += 1
        else:
            tally[(field, "kept" if pick in ("A", "B") else pick)] += 1
    for source, lines in edits.items():
        path = data / source
        text = path.read_text(encoding="utf-8").split("\n")
        for n, changes in lines.items():
            new = rewrite(text[n - 1], changes)
            if new is None:
                tally[("-", "not a one-line mapping")] += 1
            else:
                text[n - 1] = new
        path.write_text("\n".join(text), encoding="utf-8")
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("export", "check", "compare", "disputes", "apply"))
    parser.add_argument("work", type=Path)
    parser.add_argument("name", nargs="?")
    parser.add_argument("--data", type=Path, default=ROOT / "tests/data/nlu")
    parser.add_argument("--held-out", action="store_true", help="export the held-out part")
    parser.add_argument(
        "--tuning", nargs="*", default=(), help="export the tuning part of these file prefixes"
    )
    parser.add_argument(
        "--new", nargs="*", default=(), help="export both parts of these file prefixes (a new pass)"
    )
    parser.add_argument("--parts", type=int, default=1)
    args = parser.parse_args(argv)
    catalog = load_catalog(ROOT / "flows")
    if args.command == "export":
        cases = load_dir(args.data, catalog)
        if args.held_out:
            print(
                "H", export(args.data, catalog, args.work, "H", [c for c in cases if held_out(c)], args.parts)
            )
        if args.tuning:
            chosen = [c for c in cases if not held_out(c) and c.source.startswith(tuple(args.tuning))]
            print("T", export(args.data, catalog, args.work, "T", chosen, args.parts))
        if args.new:
            chosen = [c for c in cases if c.source.startswith(tuple(args.new))]
            print("N", export(args.data, catalog, args.work, "N", chosen, args.parts))
        return 0
    if args.command == "check":
        problems = check(catalog, args.work, args.name)
        print("\n".join(problems) or "no problems")
        return 1 if problems else 0
    if args.command == "apply":
        for (f, outcome), n in sorted(apply(args.data, args.work).items()):
            print(f"{f:9} {outcome:8} {n}")
        return 0
    rows = pairs(args.data, catalog, args.work)
    if args.command == "compare":
        for part in sorted({rid[0] for rid, *_ in rows}):
            print(f"{part}: {sum(rid[0] == part for rid, *_ in rows)} relabelled")
            for f, (agree, n) in agreement([x for x in rows if x[0][0] == part]).items():
                print(f"  {f:11} {agree}/{n} = {100 * agree / n:.1f} %")
        return 0
    print(disputes(catalog, rows, args.work, args.parts), "disagreements written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
