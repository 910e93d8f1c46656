"""Checks across the whole catalog that a single file's schema cannot express.

Each returns :class:`Problem` objects; errors stop the catalog from loading, warnings do not.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, UndefinedError

from bot.catalog.catalog import Catalog, _strip_suffix, normalize
from bot.catalog.flowstrings import (
    FLOW_VARIABLES,
    flow_context,
    flow_string_problem,
    flow_text,
    raw_string_problems,
)
from bot.catalog.models import IDENTITIES, Figure
from bot.catalog.timeline import coverage_year
from bot.catalog.yamlsrc import Path_, YamlSource, dotted, strings_in
from bot.clock import SYSTEM_CLOCK
from bot.errors import Problem

STALE_AFTER = dt.timedelta(days=365)


def _names(catalog: Catalog, code: str, own: dict[str, YamlSource]) -> tuple[str, tuple[str, ...]]:
    """A region's name and aliases; from the raw file when the region failed validation."""
    if code in catalog.regions:
        region = catalog.regions[code]
        return region.name, (region.name, *region.aliases)
    data = own[code].data if isinstance(own[code].data, dict) else {}
    raw = data.get("aliases")
    name = str(data.get("name") or code)
    return name, (name, *(str(a) for a in (raw if isinstance(raw, list) else [])))


def _alias_line(src: YamlSource | None, alias: str) -> tuple[str, int]:
    if src is None:
        return "flows/divisions.yaml", 0
    raw = src.data.get("aliases") if isinstance(src.data, dict) else None
    for j, a in enumerate(raw if isinstance(raw, list) else []):
        if normalize(str(a)) == normalize(alias):
            return src.file, src.line_of(("aliases", j))
    return src.file, src.line_of(("name",) if src.data.get("name") == alias else ("aliases",))


def check_aliases(catalog: Catalog, own: dict[str, YamlSource], nat: YamlSource) -> list[Problem]:
    """An alias may name one region only (a province may not list a city that has its own file).

    Regions whose file failed validation are included (from the raw file), so this is reported together
    with their schema problems.
    """
    seen: dict[str, tuple[str, str]] = {}
    out = []
    for code in sorted(set(catalog.regions) | set(own)):
        name, aliases = _names(catalog, code, own)
        for alias in dict.fromkeys(aliases):
            other, other_name = seen.setdefault(normalize(alias), (code, name))
            if other != code:
                file, line = _alias_line(own.get(code), alias)
                msg = f"alias {alias!r} also names {other_name} ({other}); an alias must be unique"
                out.append(Problem(file, line, "aliases", msg))
    return out


def check_channels(catalog: Catalog) -> list[Problem]:
    """Every identity has a channel everywhere."""
    out: list[Problem] = []
    for code in catalog.flows:
        for ident in IDENTITIES:
            if not catalog.channels(ident, code):
                file, line = catalog.locate(code, ("identities", ident, "channels"))
                out.append(
                    Problem(file, line, f"identities.{ident}.channels", "no channel left for this identity")
                )
    return out


def check_strings(catalog: Catalog, own: dict[str, YamlSource], nat: YamlSource) -> list[Problem]:
    """The strings of every file, found in one walk per file: flow strings use only known variables and no
    code (:func:`raw_string_problems`, also in files that failed validation), render with those variables,
    and hold no plain http:// link.

    Strings are checked once per file where they are written (every region offers the same variables),
    not once per region that inherits them (a merged flow repeats what it inherits, and walking every
    merged flow cost seconds with thousands of region files).
    """
    out: list[Problem] = []
    validated = {id(src): code for code, src in own.items() if code in catalog.flows}
    validated[id(nat)] = catalog.provinces[0].code
    for src in [nat, *own.values()]:
        strings = strings_in(src.data)
        out.extend(raw_string_problems(src, strings))
        if id(src) in validated:
            out.extend(_variable_problems(catalog, src, validated[id(src)], strings))
        out.extend(_link_problems(src, strings))
    return out


def _variable_problems(
    catalog: Catalog, src: YamlSource, code: str, strings: list[tuple[Path_, str]]
) -> list[Problem]:
    """Flow strings of a file that validated render with the variables of region ``code``."""
    out: list[Problem] = []
    ctx = flow_context(catalog, code)
    for path, text in strings:
        if "{" not in text or flow_string_problem(text):
            continue  # nothing to render, or reported by raw_string_problems
        try:
            flow_text(text, ctx)
        except UndefinedError as exc:
            out.append(
                Problem(
                    src.file,
                    src.line_of(path),
                    dotted(path),
                    f"{exc.message}; flow strings may use only "
                    + ", ".join(f"{{{{ {v} }}}}" for v in FLOW_VARIABLES),
                )
            )
        except TemplateError as exc:
            out.append(Problem(src.file, src.line_of(path), dotted(path), f"template error: {exc}"))
    return out


def _link_problems(src: YamlSource, strings: list[tuple[Path_, str]]) -> list[Problem]:
    """No plain http:// link in a file's strings (url fields are left to the schema's own https check)."""
    msg = "plain http:// link: use https:// (or write the address without a scheme)"
    return [
        Problem(src.file, src.line_of(path), dotted(path), msg)
        for path, text in strings
        if "http://" in text.lower() and path[-1:] != ("url",)
    ]


def figure_names(figures: Any) -> list[str]:
    """The names of the :class:`Figure` fields of a ``Figures`` model (not its flags)."""
    return [n for n in type(figures).model_fields if isinstance(getattr(figures, n), Figure)]


# Two limits imply the same average wage when they differ by no more than rounding to the yuan at each end.
WAGE_TOLERANCE = Decimal("1")


def _implied_wages(f: Any) -> tuple[Decimal, Decimal] | None:
    """The average wage the base floor and the ceiling each imply (floor / lowest tier, ceiling / highest)."""
    tiers = f.tiers.value if f.tiers.known and f.tiers.value and len(f.tiers.value) >= 2 else None
    low, high = (min(tiers), max(tiers)) if tiers else (Decimal(60), Decimal(300))
    if not (f.base_floor.known and f.base_ceiling.known):
        return None
    return f.base_floor.value * 100 / low, f.base_ceiling.value * 100 / high


def check_figures(catalog: Catalog, today: dt.date) -> list[Problem]:
    """Base limits consistent with each other; warn when a figure is old or retrieved long ago.

    Each figure is checked once where regions share it (see :func:`_first_time`)."""
    out: list[Problem] = []
    seen: set[tuple[str, int, str]] = set()
    checked: set[tuple[Any, ...]] = set()

    def add(code: str, path: tuple[Any, ...], msg: str, level: str = "error") -> None:
        file, line = catalog.locate(code, path)
        key = (file, line, msg)
        if key not in seen:  # a national figure is inherited by every region: say it once
            seen.add(key)
            out.append(Problem(file, line, dotted(path), msg, level))

    national_window = catalog.national.identities["resident"].figures.window
    for code, flow in catalog.flows.items():
        for ident, body in flow.identities.items():
            f = body.figures
            here = ("identities", ident, "figures")
            collecting = coverage_year(today, ident, f.window, national_window)
            if not _first_time(checked, f, here, collecting):
                continue
            if f.base_floor.known and f.base_ceiling.known and f.base_floor.value > f.base_ceiling.value:  # type: ignore[operator]
                add(code, (*here, "base_floor", "value"), "base floor is above the base ceiling")
            if f.base_floor.known and f.base_ceiling.known:
                if f.base_floor.year != f.base_ceiling.year:
                    msg = (
                        f"base floor is for {f.base_floor.year}, the ceiling for {f.base_ceiling.year}: "
                        "give both limits from the same year's notice"
                    )
                    add(code, (*here, "base_ceiling", "year"), msg)
                wages = _implied_wages(f)
                if wages and abs(wages[0] - wages[1]) > WAGE_TOLERANCE * 100 / Decimal(60):
                    msg = (
                        f"floor {f.base_floor.value} and ceiling {f.base_ceiling.value} imply different "
                        f"average wages ({wages[0]:.0f} and {wages[1]:.0f} 元/月): are they from the same "
                        "year and the same tiers?"
                    )
                    add(code, (*here, "base_ceiling", "value"), msg)
            for name in figure_names(f):
                fig: Figure[Any] = getattr(f, name)
                if not fig.known or not _first_time(checked, fig, (*here, name), collecting):
                    continue
                if fig.year is not None and fig.year < collecting:
                    msg = (
                        f"figure is for {fig.year}, older than the coverage year {collecting} "
                        "being collected: renew it from the latest notice"
                    )
                    add(code, (*here, name, "year"), msg, "warning")
                if fig.retrieved and today - fig.retrieved > STALE_AFTER:
                    msg = f"retrieved {fig.retrieved}, over a year ago: re-check the source"
                    add(code, (*here, name, "retrieved"), msg, "warning")
    return out


def _first_time(checked: set[tuple[Any, ...]], part: object, path: tuple[Any, ...], *more: Any) -> bool:
    """True the first time the validated ``part`` (a figure, a channel) is checked at ``path``.

    Regions that inherit a part unchanged hold the very same object (``shared_validation``), and every
    file below the one that wrote it leaves that path alone (setting anything there would have made a new
    object), so a problem in it names the same file and line from every region: checking it once per path
    gives the same problems as checking it in each of 3,000 regions (``seen`` merged those), without the
    repeated work. ``more`` holds what else a check depends on (the coverage year being collected).
    """
    key = (id(part), path, *more)
    if key in checked:
        return False
    checked.add(key)
    return True


def check_catalog(
    catalog: Catalog, own: dict[str, YamlSource], nat: YamlSource, today: dt.date | None = None
) -> list[Problem]:
    """Run every cross-file check; duplicates (a national problem seen from every region) are merged."""
    today = today or SYSTEM_CLOCK.today()
    problems = [
        *check_aliases(catalog, own, nat),
        *check_channels(catalog),
        *check_strings(catalog, own, nat),
        *check_figures(catalog, today),
        *check_region_files(catalog, own, nat),
        *check_shared_notes([nat, *own.values()]),
        *check_dates(catalog, today),
        *check_channel_labels(catalog, nat),
        *check_typed_names(catalog),
    ]
    return sorted(set(problems))


# ----- checks added for `flows lint` (also run on every load) ----------------------------------------


# Words that tie a note to one identity: such a note belongs under identities.<identity>.notes.
IDENTITY_WORDS: dict[str, tuple[str, ...]] = {
    "resident": ("居民医保", "城乡居民", "儿童", "学生", "新生儿", "少儿"),
    "flexible": ("灵活就业", "个体工商户", "职工医保缴费基数"),
}


def check_shared_notes(sources: list[YamlSource]) -> list[Problem]:
    """Warn when a top-level note (shown to both identities) is about one identity only."""
    out: list[Problem] = []
    for src in sources:
        notes = src.data.get("notes") if isinstance(src.data, dict) else None
        for i, note in enumerate(notes if isinstance(notes, list) else []):
            for ident, words in IDENTITY_WORDS.items():
                word = next((w for w in words if w in str(note)), None)
                if word:
                    msg = (
                        f"this note mentions {word!r} but shows on both identities' pages: "
                        f"move it under identities.{ident}.notes"
                    )
                    out.append(Problem(src.file, src.line_of(("notes", i)), f"notes[{i}]", msg, "warning"))
                    break
    return out


def check_region_files(catalog: Catalog, own: dict[str, YamlSource], nat: YamlSource) -> list[Problem]:
    """A region file is named after its code, and a city's code lies in its parent province."""
    out: list[Problem] = []
    for code, src in own.items():
        name = Path(src.file).name
        if not name.startswith(code):
            msg = f"file name should start with the region code, e.g. {code}-{Path(name).stem}.yaml"
            out.append(Problem(src.file, src.line_of(("code",)), "code", msg, "warning"))
        parent = str(src.data.get("parent") or "") if isinstance(src.data, dict) else ""
        if re.fullmatch(r"\d{6}", parent) and re.fullmatch(r"\d{6}", code) and parent[:2] != code[:2]:
            msg = (
                f"city {code} cannot belong to province {parent}: a city's code starts with its "
                f"province's first two digits ({code[:2]}0000)"
            )
            out.append(Problem(src.file, src.line_of(("parent",)), "parent", msg))
    return out


def check_dates(catalog: Catalog, today: dt.date) -> list[Problem]:
    """No retrieved or verified date in the future; channel dates older than a year warned.

    Each figure and channel is checked once where regions share it (see :func:`_first_time`)."""
    out: list[Problem] = []
    checked: set[tuple[Any, ...]] = set()
    for code, flow in catalog.flows.items():
        for ident, body in flow.identities.items():
            dated: list[tuple[tuple[Any, ...], dt.date | None]] = []
            if not _first_time(checked, body, ("identities", ident)):
                continue  # every figure and channel of this identity checked already (see _first_time)
            for n in figure_names(body.figures):
                fig = getattr(body.figures, n)
                if _first_time(checked, fig, ("identities", ident, "figures", n)):
                    for k in ("retrieved", "verified"):
                        dated.append((("identities", ident, "figures", n, k), getattr(fig, k)))
            for c, ch in body.channels.items():
                if ch is not None and _first_time(checked, ch, ("identities", ident, "channels", c)):
                    dated.append((("identities", ident, "channels", c, "retrieved"), ch.retrieved))
                    dated.append((("identities", ident, "channels", c, "verified"), ch.verified))
            for path, when in dated:
                if when is None:
                    continue
                if when > today + dt.timedelta(days=1):
                    file, line = catalog.locate(code, path)
                    out.append(Problem(file, line, dotted(path), f"{path[-1]} {when} is in the future"))
                elif path[2] == "channels" and path[-1] == "retrieved" and today - when > STALE_AFTER:
                    file, line = catalog.locate(code, path)
                    msg = f"retrieved {when}, over a year ago: re-check the steps against the source"
                    out.append(Problem(file, line, dotted(path), msg, "warning"))
    return out


def check_channel_labels(catalog: Catalog, nat: YamlSource) -> list[Problem]:
    """Every channel offered somewhere has a button label in national.yaml ``channel_labels``."""
    offered = {c for code in catalog.flows for i in IDENTITIES for c in catalog.channels(i, code)}
    missing = sorted(offered - set(catalog.national.channel_labels))
    line = nat.line_of(("channel_labels",))
    return [
        Problem(nat.file, line, f"channel_labels.{c}", "channel is offered but has no label for its button")
        for c in missing
    ]


def check_typed_names(catalog: Catalog) -> list[Problem]:
    """Warn when typing a region's name or alias (without 省/市) finds another region."""
    out: list[Problem] = []
    for code, region in sorted(catalog.regions.items()):
        if not region.file:
            continue
        for alias in dict.fromkeys((region.name, *region.aliases)):
            for form in dict.fromkeys((alias, _strip_suffix(alias, catalog.vocabulary.region_suffixes))):
                found = catalog.find_region(form)
                if not found or found == code or normalize(form) not in catalog.alias_index:
                    continue
                other = catalog.regions[found]
                theirs = {normalize(a) for a in (other.name, *other.aliases)}
                if normalize(alias) in theirs:
                    continue  # the same alias twice: check_aliases reports it as an error
                if normalize(form) in theirs:
                    src_other = catalog.sources.get(found)
                    own_aliases = src_other.data.get("aliases") if src_other else None
                    mine = isinstance(own_aliases, list) and form in [str(a) for a in own_aliases]
                    where = other.file if mine and other.file else "flows/divisions.yaml"
                    msg = (
                        f"typing {form!r} finds {other.name} ({found}), not {region.name}: remove "
                        f"{form!r} from {other.name}'s aliases in {where}"
                    )
                else:
                    msg = f"typing {form!r} finds {other.name} ({found}), not {region.name}"
                src = catalog.sources.get(code)
                file, line = (src.file, src.line_of(("name",))) if src else (region.file, 0)
                out.append(Problem(file, line, "aliases", msg, "warning"))
    return out
