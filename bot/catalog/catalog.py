"""The immutable, indexed catalog of flows that the wizard reads. Built once by the loader."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from bot.catalog.models import (
    CHANNELS,
    Channel,
    DivisionKind,
    Flow,
    HomeWords,
    National,
    as_identity,
    is_channel,
)
from bot.catalog.provenance import blame
from bot.catalog.vocabulary import Vocabulary, normalize
from bot.catalog.yamlsrc import YamlSource
from bot.errors import Problem

__all__ = ["Catalog", "Region", "Vocabulary", "normalize"]


@dataclass(frozen=True)
class Region:
    """A province or city the catalog knows; ``parent`` is None for provinces.

    ``kind`` is the province's kind of division (``flows/divisions.yaml``), ``city`` for a city.
    """

    code: str
    name: str
    parent: str | None
    short: str
    aliases: tuple[str, ...]
    file: str | None
    kind: DivisionKind | Literal["city"] = "city"


@dataclass(frozen=True)
class Catalog:
    """Every region's merged flow, indexed for the wizard. Never mutated; a reload builds a new one."""

    root: Path
    national: National
    regions: Mapping[str, Region]
    flows: Mapping[str, Flow]
    provinces: tuple[Region, ...]
    cities_of: Mapping[str, tuple[Region, ...]]
    alias_index: Mapping[str, str]
    vocabulary: Vocabulary
    home_words: HomeWords
    loaded_at: dt.datetime
    warnings: tuple[Problem, ...] = ()
    # The parsed files (region code -> file, and national.yaml), kept so tools can name file:line.
    sources: Mapping[str, YamlSource] = field(default_factory=dict, repr=False, compare=False)
    national_source: YamlSource | None = field(default=None, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        root: Path,
        national: National,
        regions: dict[str, Region],
        flows: dict[str, Flow],
        vocabulary: Vocabulary,
        home_words: HomeWords,
        sources: Mapping[str, YamlSource] | None = None,
        national_source: YamlSource | None = None,
    ) -> Catalog:
        """Index the validated flows."""
        provinces = tuple(sorted((r for r in regions.values() if r.parent is None), key=lambda r: r.code))
        cities: dict[str, list[Region]] = {}
        for r in sorted(regions.values(), key=lambda r: r.code):
            if r.parent:
                cities.setdefault(r.parent, []).append(r)
        index: dict[str, str] = {}
        for r in sorted(regions.values(), key=lambda r: (r.parent is not None, r.code)):
            for alias in (r.name, *r.aliases):
                for form in {normalize(alias), normalize(_strip_suffix(alias, vocabulary.region_suffixes))}:
                    if form:
                        index.setdefault(form, r.code)
        return cls(
            root=root,
            national=national,
            regions=MappingProxyType(regions),
            flows=MappingProxyType(flows),
            provinces=provinces,
            cities_of=MappingProxyType({k: tuple(v) for k, v in cities.items()}),
            alias_index=MappingProxyType(index),
            vocabulary=vocabulary,
            home_words=home_words,
            loaded_at=dt.datetime.now(dt.UTC),
            sources=MappingProxyType(dict(sources or {})),
            national_source=national_source,
        )

    def chain(self, code: str) -> list[YamlSource]:
        """The parsed files a region's flow is merged from, general first (national, province, city)."""
        region = self.regions[code]
        codes = [region.parent, code] if region.parent else [code]
        nat = [self.national_source] if self.national_source else []
        return [*nat, *(self.sources[c] for c in codes if c and c in self.sources)]

    def locate(self, code: str, path: tuple[str | int, ...]) -> tuple[str, int]:
        """``(file, line)`` of the file that set the merged value at ``path`` in region ``code``'s flow."""
        chain = self.chain(code)
        if not chain:
            return str(self.root), 0
        src = blame(path, chain)
        return src.file, src.line_of(path)

    def province_of(self, code: str) -> str:
        """The province code of a region (itself for a province)."""
        return self.regions[code].parent or code

    def home_word(self, code: str | None) -> str:
        """How a page about region ``code`` names its province-level division (本省, 本市 or 本区).

        The word for its kind of division in ``flows/divisions.yaml``; the national word when ``code`` is
        None (no place chosen yet).
        """
        if code is None:
            return self.home_words.national
        words = self.home_words
        by_kind = {"municipality": words.municipality, "autonomous_region": words.autonomous_region}
        return by_kind.get(self.regions[self.province_of(code)].kind, words.province)

    def channels(self, identity: str, code: str) -> tuple[str, ...]:
        """Channel kinds offered to ``identity`` in region ``code``, in the canonical order."""
        offered = self.flows[code].identities[as_identity(identity)].channels
        return tuple(c for c in CHANNELS if is_channel(c) and offered.get(c) is not None)

    def channel(self, identity: str, code: str, channel: str) -> Channel | None:
        """The merged channel definition, or None when the region does not offer it."""
        offered = self.flows[code].identities[as_identity(identity)].channels
        return offered.get(channel) if is_channel(channel) else None

    def find_region(self, text: str, within: str | None = None) -> str | None:
        """Region code for a typed name (exact alias first, then the longest alias inside the text)."""
        key = normalize(text)
        code = self.alias_index.get(key) or self.alias_index.get(
            normalize(_strip_suffix(key, self.vocabulary.region_suffixes))
        )
        if code is None:
            hits = [a for a in self.alias_index if len(a) >= 2 and a in key]
            if hits:
                code = self.alias_index[max(hits, key=len)]
        if code and within and self.province_of(code) != within:
            return None
        return code


def button_name(catalog: Catalog, code: str) -> str:
    """A region's name without its administrative ending (湖南省 -> 湖南, 新疆维吾尔自治区 -> 新疆), for
    buttons that must fit four to a row."""
    return _strip_suffix(catalog.regions[code].name, catalog.vocabulary.region_suffixes)


@functools.lru_cache(maxsize=4096)  # a province step names all 34 provinces (the benchmark's profile: 2%)
def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    for s in suffixes:
        if name.endswith(s) and len(name) > len(s) + 1:
            return name[: -len(s)]
    return name
