"""Build flow trees in a temporary directory: a copy of the shipped flows plus extra or changed files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def flows_tree(tmp: Path, files: dict[str, str] | None = None, remove: tuple[str, ...] = ()) -> Path:
    """Copy ``flows/`` to ``tmp/flows``, then write ``files`` (relative path -> text) and delete ``remove``.

    A region file written here replaces the shipped file for the same region code.
    """
    root = tmp / "flows"
    shutil.copytree(FLOWS, root)
    for rel in remove:
        (root / rel).unlink()
    for rel, text in (files or {}).items():
        code = re.search(r'^code:\s*"?(\d{6})"?', text, re.M)
        if rel.startswith("regions/") and code:
            for shipped in (root / "regions").glob(f"{code.group(1)}-*.yaml"):
                shipped.unlink()
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def small_flows_tree(tmp: Path, keep: tuple[str, ...] = ("110000", "430000")) -> Path:
    """A copy of ``flows/`` with only the provinces ``keep`` (and their cities): a real tree, quick to lint."""
    root = flows_tree(tmp)
    divisions = root / "divisions.yaml"
    lines = divisions.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [x for x in lines if not x.startswith("  - {code:") or any(f'"{c}"' in x for c in keep)]
    divisions.write_text("".join(kept), encoding="utf-8")
    prefixes = tuple(c[:2] for c in keep)
    for f in (root / "regions").glob("*.yaml"):
        if not f.name.startswith(prefixes):
            f.unlink()
    return root


def window_file(code: str, name: str, start: str, end: str, year: int) -> str:
    """A province file recording only a resident collection window (official, retrieved 2026-11-20)."""
    return f"""code: "{code}"
name: {name}
aliases: [{name}]
identities:
  resident:
    figures:
      window:
        value: {{start: {start}, end: {end}}}
        year: {year}
        source: 测试通知
        source_kind: official
        retrieved: 2026-11-20
"""
