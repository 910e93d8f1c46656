"""Provenance: which file of a region's chain (national -> province -> city) set a merged value.

Used to name ``file:line`` for a problem found in a merged flow (the loader, the cross-file checks,
``Catalog.locate`` and the page-level lint all use these two functions).
"""

from __future__ import annotations

from typing import Any

from bot.catalog.merge import _atomic
from bot.catalog.yamlsrc import Path_, YamlSource


def value_at(data: Any, path: Path_) -> tuple[bool, Any]:
    """``(True, value)`` at ``path`` in parsed YAML data, ``(False, None)`` when the path is absent."""
    for part in path:
        if isinstance(data, dict):
            if part not in data:
                return False, None
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return False, None
    return True, data


def blame(path: Path_, chain: list[YamlSource]) -> YamlSource:
    """The file in ``chain`` (ordered general -> specific) whose data the merged value at ``path`` came from.

    That is the most specific file holding the path itself, or a prefix of it that replaces rather than
    merges (a list, a plain value, a whole figure or channel).
    """
    for src in reversed(chain):
        for n in range(len(path), 0, -1):
            found, value = value_at(src.data, path[:n])
            if found and (
                n == len(path) or not isinstance(value, dict) or _atomic(tuple(map(str, path[:n])))
            ):
                return src
    for n in range(len(path), -1, -1):
        for src in reversed(chain):
            if value_at(src.data, path[:n])[0]:
                return src
    return chain[-1]
