"""Place names from the gazetteer, each resolved to the most specific region of the catalog that has a flow.

A word (official name, short form or pinyin) may name several places: 鼓楼 is a district in four cities.
Places of the highest level win (中山 is the prefecture-level city, not the district of 大连); the rest
resolve to their flow regions. When those lie in one province the word means that province (or the one
region they share); when they lie in several provinces the word is ambiguous and the wizard asks with the
options (also for a pinyin two places share: suzhou, 苏州 or 宿州). Words the catalog already knows (curated aliases in divisions.yaml and regions/) keep their
curated meaning, unless the alias is a nickname that is also the name of a place in another province
(石门: 石家庄 or 湖南's 石门县): then it is ambiguous like a name two provinces share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.catalog.catalog import Catalog
from bot.catalog.gazetteer import Place, read_gazetteer
from bot.understand.text import fold, word_readings


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """What a place word means: ``region`` (a catalog code, None when ambiguous), the ``options`` when
    ambiguous (catalog codes in two or more provinces), and ``place``, the official name of the place
    when it is more specific than ``region`` (湘潭市 -> 湖南省's general guide), else empty.
    ``option_places`` names, for each option, the place it stands for when that place lies below the
    option's guide (石门: 石家庄, or 湖南 for 石门县), so a province named too keeps it (湖南石门 -> 石门县)."""

    region: str | None
    options: tuple[str, ...] = ()
    place: str = ""
    option_places: tuple[str, ...] = ()

    def option(self, code: str) -> PlaceMatch:
        """The meaning of this ambiguous word once the message has chosen its option ``code``."""
        return PlaceMatch(code, (), dict(zip(self.options, self.option_places, strict=False)).get(code, ""))


def flow_region(code: str, parents: Mapping[str, str], catalog: Catalog) -> str | None:
    """The nearest region of ``catalog`` at or above the division ``code``."""
    seen = 0
    while code and code not in catalog.regions and seen < 4:
        code, seen = parents.get(code, ""), seen + 1
    return code if code in catalog.regions else None


def place_words(
    catalog: Catalog, taken: Iterable[str]
) -> tuple[dict[str, PlaceMatch], dict[str, PlaceMatch]]:
    """Folded place word -> meaning, for every gazetteer word not in ``taken`` (vocabulary words) nor
    among the catalog's own aliases, which keep their meaning; and, second, the catalog aliases that name
    a place below their region's flow (湘潭, an alias of 湖南, is the city 湘潭市) with that place."""
    places = list(read_gazetteer(catalog.root))
    if not places:
        return {}, {}
    parents = {p.code: p.parent for p in places}
    region_of = {p.code: flow_region(p.code, parents, catalog) for p in places}
    named: dict[str, list[Place]] = defaultdict(list)
    for p in places:
        for w in {p.name, *p.shorts, p.pinyin or shared_reading(p)}:
            if len(w) >= 2:
                named[w].append(p)  # generated names are already in folded form (simplified, lower case)
    skip = set(taken)
    aliases = {fold(a): code for a, code in catalog.alias_index.items()}
    out: dict[str, PlaceMatch] = {}
    curated: dict[str, PlaceMatch] = {}
    for word, cands in named.items():
        if word in aliases:
            code = aliases[word]
            shared = _nickname_elsewhere(code, cands, region_of, catalog)
            if shared is not None:
                curated[word] = shared
                continue
            top = min(p.level for p in cands)
            tops = [p for p in cands if p.level == top]
            if len(tops) == 1 and tops[0].code != code and region_of[tops[0].code] == code:
                curated[word] = PlaceMatch(code, (), tops[0].name)
            continue
        if word in skip:
            continue
        top = min(p.level for p in cands)
        match = _resolve([p for p in cands if p.level == top], region_of, catalog)
        if match is not None:
            out[word] = match
    return out, curated


def _nickname_elsewhere(
    code: str, cands: list[Place], region_of: Mapping[str, str | None], catalog: Catalog
) -> PlaceMatch | None:
    """An ambiguous match when a curated alias of ``code`` is a nickname (no place of that name lies in
    its own province) and also the name of a place in another province: 石门 is 石家庄's old name and
    湖南's 石门县, 榕城 is 福州 and 揭阳's 榕城区, 江城 is 武汉, 阳江's 江城区 and 云南's 江城县. With no
    province named the wizard asks; a province named too decides (湖南石门). None otherwise (海南 is the
    province and also names 青海's 海南州: the alias is the place's own name and keeps its meaning)."""
    home = catalog.province_of(code)
    regions = [region_of[p.code] for p in cands]
    if any(r and catalog.province_of(r) == home for r in regions):
        return None
    elsewhere = sorted({r for r in regions if r})
    if not elsewhere:
        return None
    per: dict[str, list[str]] = defaultdict(list)
    for r in elsewhere:
        per[catalog.province_of(r)].append(r)
    options = {code, *(v[0] if len(v) == 1 else k for k, v in per.items())}
    return _ambiguous(sorted(options), cands, region_of)


def shared_reading(p: Place) -> str:
    """The pinyin of a place whose reading another place of the same or higher level shares (the
    gazetteer leaves it out: suzhou is 苏州 or 宿州), so that typing it offers both places."""
    return "".join(word_readings(p.shorts[0] if p.shorts else p.name))


def _resolve(cands: list[Place], region_of: Mapping[str, str | None], catalog: Catalog) -> PlaceMatch | None:
    if len(cands) == 1:
        region = region_of[cands[0].code]
        if region is None:
            return None
        return PlaceMatch(region, (), cands[0].name if cands[0].code != region else "")
    codes = sorted({r for r in (region_of[p.code] for p in cands) if r})
    if not codes:
        return None
    provinces = {catalog.province_of(c) for c in codes}
    if len(provinces) > 1:
        # One option per province: a province whose several regions the word may mean is offered whole.
        per: dict[str, list[str]] = defaultdict(list)
        for c in codes:
            per[catalog.province_of(c)].append(c)
        return _ambiguous(sorted(v[0] if len(v) == 1 else k for k, v in per.items()), cands, region_of)
    region = codes[0] if len(codes) == 1 else provinces.pop()
    below = [p for p in cands if p.code != region]
    return PlaceMatch(region, (), below[0].name if len(cands) == 1 and below else "")


def _ambiguous(options: list[str], cands: list[Place], region_of: Mapping[str, str | None]) -> PlaceMatch:
    """An ambiguous match over ``options``, each with the name of the one place below it that the word
    names there (湖南 for 石门: 石门县), if there is exactly one."""
    names = []
    for code in options:
        below = [p for p in cands if region_of[p.code] == code and p.code != code]
        names.append(below[0].name if len(below) == 1 else "")
    return PlaceMatch(None, tuple(options), "", tuple(names) if any(names) else ())
