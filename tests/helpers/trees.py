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
