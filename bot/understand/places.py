"""Searching places by name for choosers (the web chooser, the Mini App): "长沙", "changsha", "湘", "慈溪".

The catalog's regions (names, aliases and the pinyin of the names) come first, then every place of the
gazetteer (flows/gazetteer.tsv: prefectures and county-level divisions with their short forms and
pinyin), each leading to the most specific region with a guide, as in the chat (慈溪 -> 浙江省's guide;
湘潭 -> 湖南省's general guide for "其他城市/地区"). A query matching nothing by name is read like a typed
message (same-sound slips, traditional characters, "我在长沙"), so the search is never weaker than the
chat.
"""

from __future__ import annotations

import bisect
import heapq
from array import array
from dataclasses import dataclass

from bot.catalog.catalog import Catalog
from bot.catalog.gazetteer import read_gazetteer
from bot.understand.parse import understand
from bot.understand.place_words import flow_region, shared_reading
from bot.understand.text import fold, word_readings

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


@dataclass(frozen=True)
class _Index:
    """The entries; every key with its entry's number in key order (a query's prefix matches are one
    range of it, found by bisection); and for each character and each pair of adjacent characters of any
    key the numbers of the entries having it (a query's substring candidates have all its pairs). A search
    looks at a handful of keys instead of every one."""

    entries: tuple[_Entry, ...]
    keys: tuple[str, ...]  # sorted
    key_orders: tuple[int, ...]  # the entry number of each key in ``keys``
    grams: dict[str, array[int]]  # sorted entry numbers, two bytes each

    def ranked(self, q: str, limit: int) -> list[tuple[int, int]]:
        """(rank, entry number) of the best entries for ``q``: exact (0), prefix (1), substring (2)."""
        best: dict[int, int] = {}
        lo = bisect.bisect_left(self.keys, q)
        hi = bisect.bisect_left(self.keys, q + "\U0010ffff")
        for i in range(lo, hi):
            order, rank = self.key_orders[i], 0 if self.keys[i] == q else 1
            best[order] = min(rank, best.get(order, 2))
        if len(best) < limit:
            # the entries having the query's rarest character pair are the only ones that can contain it
            rarest = min((self.grams.get(g, _NONE) for g in _grams_of(q)), key=len)
            for order in rarest:
                if order not in best and any(q in k for k in self.entries[order].keys):
                    best[order] = 2
        return heapq.nsmallest(limit, ((rank, order) for order, rank in best.items()))


_NONE: array[int] = array("H")


def _grams_of(q: str) -> set[str]:
    """The pairs of adjacent characters of ``q``; its single character when it has one."""
    return {q[i : i + 2] for i in range(len(q) - 1)} if len(q) > 1 else {q}


_INDEX: tuple[Catalog, _Index] | None = None


def _entries(catalog: Catalog) -> tuple[_Entry, ...]:
    return _index(catalog).entries


def _index(catalog: Catalog) -> _Index:
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
        pinyin = ["".join(word_readings(n)) for n in (r.name, r.short) if n]
        out.append(_Entry(place, tuple(dict.fromkeys([*names, *pinyin]))))
    out += _gazetteer_entries(catalog)
    grams: dict[str, array[int]] = {}
    for order, entry in enumerate(out):  # in order, so each array is sorted
        for g in {g for k in entry.keys for g in (*k, *_grams_of(k)) if g}:
            grams.setdefault(g, array("H")).append(order)
    pairs = sorted((k, order) for order, entry in enumerate(out) for k in entry.keys)
    index = _Index(
        tuple(out),
        tuple(k for k, _ in pairs),
        tuple(o for _, o in pairs),
        grams,
    )
    _INDEX = (catalog, index)
    return index


def _gazetteer_entries(catalog: Catalog) -> list[_Entry]:
    """The gazetteer's places that are not regions of the catalog, prefectures before counties, each
    filling the wizard's slots as the chat does for the same name (see ``found_slots``)."""
    places = list(read_gazetteer(catalog.root))
    parents = {p.code: p.parent for p in places}
    names = {p.code: p.name for p in places}
    out = []
    for p in sorted(places, key=lambda p: (p.level, p.code)):
        region = flow_region(p.code, parents, catalog)
        if p.code in catalog.regions or region is None:
            continue
        r = catalog.regions[region]
        province = r.parent or r.code
        city = r.code if r.parent or catalog.cities_of.get(r.code) else ""
        chain, code = [], p.code
        while code:
            chain.append(names.get(code, ""))
            code = parents.get(code, "")
        place = Place(p.code, p.name, province, city, "".join(reversed(chain)))
        keys = [fold(p.name), *(fold(s) for s in p.shorts), p.pinyin or shared_reading(p)]
        out.append(_Entry(place, tuple(dict.fromkeys(keys))))
    return out


def search_places(catalog: Catalog, query: str, limit: int = MAX_RESULTS) -> list[Place]:
    """Places whose name, alias or pinyin matches ``query``: exact first, then prefix, then substring."""
    q = fold(query)[:40]
    if not q:
        return []
    index = _index(catalog)
    ranked = index.ranked(q, limit)
    if not ranked:
        u = understand(query[:100], catalog)
        if u.region and u.region in catalog.regions:
            named = [e.place for e in _entries(catalog) if u.place and e.place.name == u.place]
            return named[:1] or [e.place for e in _entries(catalog) if e.place.code == u.region]
    return [index.entries[order].place for _, order in ranked]
