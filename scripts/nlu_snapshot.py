"""Record ``understand()``'s full result for every known message, and compare two recordings.

``python scripts/nlu_snapshot.py record FILE`` writes one line per message: a hash of the text and the
``repr`` of its :class:`~bot.understand.result.Understanding`. ``python scripts/nlu_snapshot.py compare
OLD NEW`` says how many results differ. A change meant to make understanding faster must leave the
two recordings identical.

The messages: every ``text`` of the labelled files under ``tests/data`` (held-out ones included), every
string literal with Chinese in ``tests/**/*.py``, and, to exercise long messages, each labelled message
joined to the next one (with a comma, with a space and with nothing between). The file stores hashes,
not texts, and a difference in a held-out message is reported without its text (issue 13: nobody reads
what is held out).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import itertools
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.catalog.loader import load_catalog  # noqa: E402
from bot.understand.evaluate import Case, held_out  # noqa: E402
from bot.understand.parse import understand  # noqa: E402

_HANZI = re.compile(r"[\u4e00-\u9fff]")
_JOINS = ("\uff0c", " ", "")  # a full-width comma, a space, nothing


def _labelled() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "tests/data").rglob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(raw, list):
            texts += [
                item["text"] for item in raw if isinstance(item, dict) and isinstance(item.get("text"), str)
            ]
    return texts


def _literals() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        texts += [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and _HANZI.search(n.value)
        ]
    return texts


def messages() -> list[tuple[str, bool]]:
    """Every message to record, each with whether its text may be shown (no held-out part in it)."""
    labelled = _labelled()
    secret = {t for t in labelled if held_out(Case(t, {}, 0))}
    out = [(t, t not in secret) for t in labelled] + [(t, t not in secret) for t in _literals()]
    for a, b in itertools.pairwise(labelled):
        out += [(a + j + b, a not in secret and b not in secret) for j in _JOINS]
    seen: dict[str, bool] = {}
    for text, shown in out:
        seen[text] = seen.get(text, True) and shown
    return list(seen.items())


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def record(path: Path) -> int:
    """Write the snapshot of every message to ``path``."""
    catalog = load_catalog(ROOT / "flows")
    lines = [f"{_key(t)}\t{understand(t, catalog)!r}" for t, _ in messages()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} messages recorded in {path}")
    return 0


def compare(old: Path, new: Path) -> int:
    """Print how many results differ between two snapshots (texts only for messages not held out)."""

    def load(p: Path) -> dict[str, str]:
        return dict(line.split("\t", 1) for line in p.read_text(encoding="utf-8").splitlines() if line)

    a, b = load(old), load(new)
    shown = {_key(t): (t if ok else "<held out>") for t, ok in messages()}
    differ = [k for k in a.keys() & b.keys() if a[k] != b[k]]
    for k in differ[:20]:
        print(f"{shown.get(k, k)}\n  old: {a[k]}\n  new: {b[k]}")
    only = len(a.keys() - b.keys()), len(b.keys() - a.keys())  # texts added to or dropped from tests
    print(
        f"{len(a.keys() & b.keys())} messages in both, {len(differ)} differ; {only[0]} only in the old, {only[1]} only in the new"
    )
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    """Record a snapshot or compare two."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("record").add_argument("file", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("old", type=Path)
    cmp.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    return record(args.file) if args.command == "record" else compare(args.old, args.new)


if __name__ == "__main__":
    raise SystemExit(main())
