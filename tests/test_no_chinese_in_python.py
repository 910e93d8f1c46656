"""User-facing Chinese lives in ``messages/`` and ``flows/``, never in Python (DESIGN.md, STYLE.md §2).

Every string literal under ``bot/`` is scanned for CJK characters (ideographs and full-width punctuation)
as written in the source (``"\\u4e00"``, a code point, is not text).
Not counted: docstrings and comments (English prose may quote a Chinese example), and regular-expression
patterns given straight to ``re`` (they recognise what users or notices write; they never speak).
Whatever else must stay is in :data:`ALLOWED`, each with its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_RE_CALLS = frozenset(
    {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
)

# Path (relative to bot/, a directory ending in "/") -> why Chinese may stay there. Keep it short.
ALLOWED: dict[str, str] = {
    "testing/": "the fake Bot API, bot client and fault run impersonate users: their names and typed text",
    "tools/notice.py": "operator tool reading official notices: the notices' own vocabulary, not bot speech",
    "tools/notice_patch.py": "operator tool writing a YAML patch for flows/ from a notice (operator output)",
    "tools/coverage.py": "operator report: its column heads and channel letters are for operators",
    "tools/graph.py": "operator diagram: title and legend for operators",
    "tools/commands.py": "operator CLI help: examples of names an operator may type",
    "tools/resolve.py": "operator CLI errors: examples of names an operator may type",
    "tools/scaffold.py": "operator CLI errors: an example name",
    "cli.py": "the product's name in `python -m bot --help`",
    "adapters/telegram/inline.py": "an operator log line quoting a placeholder to set at @BotFather",
    "catalog/checks.py": "lint heuristics for operators: words that tie a note to one identity; a lint message",
    "understand/amounts.py": "Chinese numerals are parsing rules (their values), not words shown to users",
    "understand/numerals.py": "the numeral characters and their values: parsing rules, not words shown to users",
}
# Entries whose Chinese is being moved out this session: not reported as stale once the move lands
# (drop them from ALLOWED then).
MOVING: frozenset[str] = frozenset()


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _patterns(tree: ast.AST) -> set[int]:
    """Literals given as the pattern (first argument) of a ``re`` call, also inside a concatenation."""
    out = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_CALLS
            and node.args
        ):
            out |= {id(n) for n in ast.walk(node.args[0]) if isinstance(n, ast.Constant)}
    return out


def _allowed(rel: str) -> bool:
    return any(rel == key or (key.endswith("/") and rel.startswith(key)) for key in ALLOWED)


def chinese_literals(path: Path, root: Path = BOT) -> list[str]:
    """``file:line: 'literal'`` for each string literal in ``path`` holding CJK outside the exemptions."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    skip = _docstrings(tree) | _patterns(tree)
    # The literal as written: a code-point range spelt "\u4e00" is not Chinese text.
    return [
        f"{root.name}/{path.relative_to(root)}:{node.lineno}: {node.value[:40]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and CJK.search(node.value)
        and CJK.search(ast.get_source_segment(source, node) or node.value)
    ]


def test_no_chinese_string_literals_in_python() -> None:
    found = [
        hit
        for path in sorted(BOT.rglob("*.py"))
        if not _allowed(path.relative_to(BOT).as_posix())
        for hit in chinese_literals(path)
    ]
    assert not found, (
        "Chinese text in Python: move it to messages/ (sentences) or flows/ (words, with a schema field), "
        "or justify it in ALLOWED:\n" + "\n".join(sorted(found))
    )


def test_every_allowlist_entry_is_still_needed() -> None:
    stale = []
    for key in ALLOWED.keys() - MOVING:
        paths = sorted(BOT.glob(f"{key}**/*.py")) if key.endswith("/") else [BOT / key]
        if not any(p.is_file() and chinese_literals(p) for p in paths):
            stale.append(key)
    assert not stale, f"no Chinese left there, drop them from ALLOWED: {stale}"


def test_the_scan_finds_a_chinese_literal_and_skips_docstrings_and_patterns(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""模块说明。"""\nimport re\n\n# 注释\nWORD = "本省"\nPATTERN = re.compile(r"(北京|上海)市")\n',
        encoding="utf-8",
    )
    assert chinese_literals(sample, tmp_path) == [f"{tmp_path.name}/sample.py:5: '本省'"]
