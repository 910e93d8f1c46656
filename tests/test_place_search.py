"""The place search's index (bot/understand/places.py) finds exactly what a scan of every entry finds."""

from __future__ import annotations

from bot.catalog.catalog import Catalog
from bot.understand import places
from bot.understand.places import MAX_RESULTS, search_places


def _scan(catalog: Catalog, q: str) -> list[str]:
    """The reference: every entry compared with the query, exact before prefix before substring."""
    ranked = []
    for order, entry in enumerate(places._entries(catalog)):
        ranks = [0 if k == q else 1 if k.startswith(q) else 2 for k in entry.keys if q in k]
        if ranks:
            ranked.append((min(ranks), order, entry.place.code))
    return [code for _, _, code in sorted(ranked)[:MAX_RESULTS]]


def test_index_matches_a_scan_of_every_entry(catalog: Catalog) -> None:
    entries = places._entries(catalog)
    queries = {"c", "zhou", "阳", "江", "沙", "长沙", "changsha", "cixi", "xiangtan", "湘", "州市", "an"}
    for entry in entries[::97]:  # a spread of regions, prefectures and counties
        for key in entry.keys:
            queries |= {key, key[:2], key[1:3], key[-2:]} - {""}
    for q in sorted(queries):
        found = [p.code for p in search_places(catalog, q)]
        expected = _scan(catalog, q)
        if expected:  # no name matches: the search reads the query like a typed message instead
            assert found == expected, q
