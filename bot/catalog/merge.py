"""Merging a region file over its parent: dicts merge key by key, anything else is replaced.

Rules (documented in docs/operators.md):
* mappings merge recursively; a key set to ``null`` removes it (e.g. ``channels: {bank: null}``);
* a figure (``identities.*.figures.*``), a channel (``identities.*.channels.*``) and a follow-up answer
  (``identities.*.faq.*``) are replaced as a whole, so a value never keeps the parent's source, and
  steps never keep the parent's citation;
* lists and plain values replace the parent's, except ``hotlines`` and ``notes``, which add to the
  parent's (the region's own come first);
* ``code``, ``name``, ``parent`` and ``aliases`` belong to each file and are never inherited.
"""

from __future__ import annotations

from typing import Any

OWN_KEYS = frozenset({"code", "name", "parent", "aliases"})
ADDITIVE_KEYS = frozenset({"hotlines", "notes"})


def _atomic(path: tuple[str, ...]) -> bool:
    """True for paths whose mapping replaces the parent's as a whole (a figure, a channel)."""
    return len(path) == 4 and path[0] == "identities" and path[2] in ("figures", "channels", "faq")


def deep_merge(base: Any, over: Any, path: tuple[str, ...] = ()) -> Any:
    """Return ``over`` merged onto ``base`` without modifying either."""
    if not isinstance(base, dict) or not isinstance(over, dict) or _atomic(path):
        return over
    out = dict(base)
    for key, value in over.items():
        if value is None:
            out[key] = None
        elif key in out:
            out[key] = deep_merge(out[key], value, (*path, str(key)))
        else:
            out[key] = value
    return out


def merge_region(parent: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """Merge a region file's data over its (already merged) parent's."""
    inherited = {k: v for k, v in parent.items() if k not in OWN_KEYS}
    merged = deep_merge(inherited, {k: v for k, v in own.items() if k not in ADDITIVE_KEYS})
    for key in ADDITIVE_KEYS:
        mine, theirs = own.get(key), parent.get(key)
        if isinstance(mine, list) and isinstance(theirs, list):
            merged[key] = mine + theirs
        elif key in own:
            merged[key] = mine
    return merged
