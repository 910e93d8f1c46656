"""Load ``flows/`` into a validated, indexed :class:`~bot.catalog.catalog.Catalog`.

Every problem in every file is collected in one pass and raised together as :class:`FlowError`, each
naming ``file:line: field: message``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.catalog.catalog import Catalog, Region, Vocabulary, normalize
from bot.catalog.checks import check_catalog
from bot.catalog.merge import merge_region
from bot.catalog.models import (
    Alternative,
    Channel,
    Divisions,
    Figure,
    Figures,
    Flow,
    Hotline,
    Identity,
    National,
    shared_validation,
)
from bot.catalog.provenance import blame
from bot.catalog.yamlsrc import Path_, YamlSource, dotted
from bot.errors import FlowError, Problem

NATIONAL_FILE = "national.yaml"
DIVISIONS_FILE = "divisions.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
REGIONS_DIR = "regions"


# Every field name any flow model knows, for "did you mean" hints on misspelled fields.
_FIELD_NAMES = sorted(
    {f for m in (National, Identity, Figures, Figure, Channel, Hotline, Alternative) for f in m.model_fields}
)
_PATTERN_MESSAGES = {
    "url": "must be an https:// address",
    "number": "a phone number may hold only digits and '-' (3 to 20 of them)",
    "code": "must be a 6-digit administrative-division code such as 430100",
    "parent": "must be a 6-digit province code such as 430000",
}


def _pydantic_problems(exc: ValidationError, chain: list[YamlSource]) -> list[Problem]:
    """Translate pydantic errors on a merged flow into problems blamed on the file that set the field."""
    out = []
    for err in exc.errors(include_url=False):
        loc: Path_ = tuple(err["loc"])
        # Drop pydantic's union/generic markers such as 'Channel' or 'function-after[...]' from the path.
        path: Path_ = tuple(p for p in loc if isinstance(p, int) or not (p[:1].isupper() or "[" in p))
        src = blame(path, chain)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(path[-1]), _FIELD_NAMES, n=1) if path else []
            hint = f"did you mean '{close[0]}'?" if close else "check the spelling"
            msg = f"unknown field ({hint} see docs/operators.md for the fields)"
        elif err["type"] == "missing":
            msg = "required field is missing (not set here nor inherited)"
        elif err["type"] == "literal_error":
            msg = f"unknown name {err.get('input')!r}: {msg.lower()}"
        elif err["type"] == "string_pattern_mismatch":
            msg = _PATTERN_MESSAGES.get(str(path[-1]) if path else "", msg) + f" (got {err.get('input')!r})"
        out.append(Problem(src.file, src.line_of(path), dotted(path), msg))
    return out


class _Builder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.confinement = Confinement(root)

    def read(self, path: Path, draft: bool = False) -> YamlSource:
        """Parse a file of the tree (refused when it links outside), or a draft named on purpose."""
        src = (None if draft else self.confinement.outside(path)) or YamlSource.read(path, self.root)
        self.problems.extend(src.problems)
        return src

    def validate(self, model: type[Flow] | type[Divisions], data: Any, chain: list[YamlSource]) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.problems.extend(_pydantic_problems(exc, chain))
            return None


def load_catalog(
    root: Path | str, *, today: dt.date | None = None, extra: Sequence[Path | str] = ()
) -> Catalog:
    """Load and validate every flow file under ``root``; raise :class:`FlowError` listing all problems.

    ``extra`` are region files to check as if they were in ``root/regions/`` (replacing a file there of
    the same name): ``flows lint some/new-file.yaml`` validates a file in the context of a flows tree.
    """
    with shared_validation():  # inherited parts are validated once and shared (memory, time)
        return _load_catalog(Path(root), today, extra)


class Confinement:
    """Says which files lie outside the flows directory ``root`` (links, or files in a linked folder).

    The directory and each folder of files are resolved once; a file that is not itself a link lies
    where its folder resolves to, so each file costs one ``lstat`` rather than a full path resolution
    (which looks at every component of the path: most of the load's file handling with 3,000 files).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._folders: dict[str, str] = {}

    def _folder(self, folder: str) -> str:
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        return real

    def outside(self, path: Path) -> YamlSource | None:
        """A source holding one problem when ``path`` (a link, or in a linked directory) resolves to a
        file outside the flows directory: such a file is not read. None when it lies inside."""
        try:
            top = self._folder(str(self.root))
            if os.path.islink(path):
                real = str(path.resolve())
            else:
                real = os.path.join(self._folder(os.path.dirname(path)), os.path.basename(path))
            inside = real.startswith(top.rstrip(os.sep) + os.sep)
        except (OSError, RuntimeError) as exc:  # a link loop
            inside, why = False, f"cannot resolve the link: {exc}"
        else:
            why = f"links to {real}, outside the flows directory {self.root}"
        if inside:
            return None
        name = YamlSource.name_for(path, self.root)
        return YamlSource(name, None, {}, [Problem(name, 0, "", f"{why}; not loaded")])


def _load_catalog(root: Path, today: dt.date | None, extra: Sequence[Path | str]) -> Catalog:
    b = _Builder(root)
    if not (root / NATIONAL_FILE).is_file():
        raise FlowError([Problem(str(root / NATIONAL_FILE), 0, "", "the national default flow is missing")])
    nat_src = b.read(root / NATIONAL_FILE)
    div_src = b.read(root / DIVISIONS_FILE)
    voc_src = b.read(root / VOCABULARY_FILE)
    national: National | None = b.validate(National, nat_src.data, [nat_src]) if nat_src.data else None
    divisions: Divisions | None = b.validate(Divisions, div_src.data, [div_src]) if div_src.data else None
    vocabulary = Vocabulary.from_source(voc_src, b.problems)

    files = sorted((root / REGIONS_DIR).glob("*.yaml")) if (root / REGIONS_DIR).is_dir() else []
    # Files given with `extra` (a draft being linted) replace the tree's file of the same name or code.
    drafts = [b.read(Path(x), draft=True) for x in extra]
    draft_names = {Path(x).name for x in extra}
    draft_codes = {str(d.data.get("code", "")) for d in drafts if isinstance(d.data, dict)}
    sources: list[YamlSource] = []
    for path in files:
        if path.name in draft_names:
            continue
        src = b.confinement.outside(path) or YamlSource.read(path, root)
        if isinstance(src.data, dict) and str(src.data.get("code", "")) in draft_codes:
            continue
        b.problems.extend(src.problems)
        sources.append(src)
    own: dict[str, YamlSource] = {}
    for src in [*sources, *drafts]:
        if not isinstance(src.data, dict):
            continue
        code = str(src.data.get("code", ""))
        if code in own:
            b.problems.append(
                Problem(
                    src.file,
                    src.line_of(("code",)),
                    "code",
                    f"region {code} is also defined in {own[code].file}",
                )
            )
            continue
        own[code] = src
    if national is None or divisions is None:
        raise FlowError(b.problems)

    province_names = {d.code: d for d in divisions.provinces}
    regions: dict[str, Region] = {}
    flows: dict[str, Flow] = {}
    merged: dict[str, dict[str, Any]] = {}
    national_only = set(National.model_fields) - set(Flow.model_fields)
    nat_data = {k: v for k, v in nat_src.data.items() if k not in national_only}
    # Provinces first (every division, with or without a file), then cities over their province.
    for d in divisions.provinces:
        prov = own.get(d.code)
        data = {"code": d.code, "name": d.name, **(prov.data if prov else {})}
        own_aliases = data.get("aliases") or []
        # A malformed `aliases:` (a string, a number) is left as it is, for the schema to report.
        data["aliases"] = (
            [d.name, d.short, *d.aliases, *own_aliases] if isinstance(own_aliases, list) else own_aliases
        )
        if prov and prov.data.get("parent"):
            b.problems.append(
                Problem(prov.file, prov.line_of(("parent",)), "parent", "a province has no parent")
            )
        merged[d.code] = merge_region(nat_data, data)
        flow = b.validate(Flow, merged[d.code], [nat_src, prov] if prov else [nat_src])
        if flow:
            flows[d.code] = flow
            regions[d.code] = Region(
                d.code, flow.name, None, d.short, tuple(flow.aliases), prov.file if prov else None, d.kind
            )
    for code, src in own.items():
        if code in province_names:
            continue
        parent = str(src.data.get("parent") or "")
        if not parent:
            msg = f"unknown province code {code!r}: a city needs `parent:` (its province's code)"
            b.problems.append(Problem(src.file, src.line_of(("code",)), "code", msg))
            continue
        if parent not in province_names:
            msg = f"unknown province {parent!r} (see flows/{DIVISIONS_FILE} for the codes)"
            b.problems.append(Problem(src.file, src.line_of(("parent",)), "parent", msg))
            continue
        merged[code] = merge_region(merged[parent], src.data)
        chain = [nat_src, *([own[parent]] if parent in own else []), src]
        flow = b.validate(Flow, merged[code], chain)
        # A city whose province failed validation is checked for its own problems but not indexed.
        if flow and parent in flows:
            flows[code] = flow
            regions[code] = Region(code, flow.name, parent, "", tuple(flow.aliases), src.file)
    # Build from whatever validated, so the cross-file checks report too, all in one pass.
    catalog = Catalog.build(
        root, national, regions, flows, vocabulary, divisions.home_words, sources=own, national_source=nat_src
    )
    problems = [
        *b.problems,
        *check_catalog(catalog, own, nat_src, today=today),
        *_app_regions(catalog, voc_src),
    ]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise FlowError(errors, warnings=[p for p in problems if p.severity == "warning"])
    object.__setattr__(catalog, "warnings", tuple(p for p in problems if p.severity == "warning"))
    return catalog


def _app_regions(catalog: Catalog, voc_src: YamlSource) -> list[Problem]:
    """Warn when ``app_regions`` names a region the catalog does not hold: its words then route nowhere."""
    return [
        Problem(
            voc_src.file,
            voc_src.line_of(("app_regions", name)),
            f"app_regions.{name}",
            "names no region of the catalog: its apps are not recognised",
            "warning",
        )
        for name in catalog.vocabulary.app_regions
        if normalize(name) not in catalog.alias_index
    ]
