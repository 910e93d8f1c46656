"""Searching places by name for choosers (the web chooser, the Mini App): "长沙", "changsha", "湘".

One small function over the catalog's regions (names, aliases and the pinyin of the names) so that a
fuller gazetteer can later be searched behind the same signature. A query matching nothing by name is
read like a typed message (same-sound slips, traditional characters, "我在长沙"), so the search is never
weaker than the chat.
"""

from __future__ import annotations

from dataclasses import dataclass

from pypinyin import lazy_pinyin

from bot.catalog.catalog import Catalog
from bot.understand.parse import understand
from bot.understand.text import fold

MAX_RESULTS = 20


@dataclass(frozen=True)
class Place:
    """A search hit: ``province`` and ``city`` are the wizard slots it fills (``city`` empty for a province)."""

    code: str
    name: str
    province: str
    city: str
    full_name: str  # "湖南省长沙市": the name with its province, for lists


@dataclass(frozen=True)
class _Entry:
    place: Place
    keys: tuple[str, ...]  # folded name and aliases, then pinyin forms (all ASCII-free or lower ASCII)


_INDEX: tuple[Catalog, tuple[_Entry, ...]] | None = None


def _entries(catalog: Catalog) -> tuple[_Entry, ...]:
    """The search index of ``catalog`` (built once per catalog; a reload makes a new catalog)."""
    global _INDEX
    if _INDEX is not None and _INDEX[0] is catalog:
        return _INDEX[1]
    out = []
    for r in sorted(catalog.regions.values(), key=lambda r: (r.parent is not None, r.code)):
        province = r.parent or r.code
        full = catalog.regions[province].name + r.name if r.parent else r.name
        place = Place(r.code, r.name, province, r.code if r.parent else "", full)
        names = [fold(n) for n in (r.name, r.short, *r.aliases) if n]
        pinyin = ["".join(lazy_pinyin(n)) for n in (r.name, r.short) if n]
        out.append(_Entry(place, tuple(dict.fromkeys([*names, *pinyin]))))
    entries = tuple(out)
    _INDEX = (catalog, entries)
    return entries


def search_places(catalog: Catalog, query: str, limit: int = MAX_RESULTS) -> list[Place]:
    """Places whose name, alias or pinyin matches ``query``: exact first, then prefix, then substring."""
    q = fold(query)[:40]
    if not q:
        return []
    ranked: list[tuple[int, int, Place]] = []
    for order, entry in enumerate(_entries(catalog)):
        rank = min(
            (0 if k == q else 1 if k.startswith(q) else 2 for k in entry.keys if q in k),
            default=None,
        )
        if rank is not None:
            ranked.append((rank, order, entry.place))
    if not ranked:
        region = understand(query[:100], catalog).region
        if region and region in catalog.regions:
            return [e.place for e in _entries(catalog) if e.place.code == region]
    return [p for _, _, p in sorted(ranked, key=lambda t: (t[0], t[1]))[:limit]]
