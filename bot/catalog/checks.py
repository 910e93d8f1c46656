"""Checks across the whole catalog that a single file's schema cannot express.

Each returns :class:`Problem` objects; errors stop the catalog from loading, warnings do not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import TemplateError, UndefinedError

from bot.catalog.catalog import Catalog, normalize
from bot.catalog.models import IDENTITIES, Figure
from bot.catalog.yamlsrc import YamlSource, dotted
from bot.errors import Problem
from bot.render import flow_text

STALE_AFTER = dt.timedelta(days=365)


def _chain(catalog: Catalog, code: str, own: dict[str, YamlSource], nat: YamlSource) -> list[YamlSource]:
    region = catalog.regions[code]
    codes = [region.parent, code] if region.parent else [code]
    return [nat, *(own[c] for c in codes if c and c in own)]


def _blame(path: tuple[Any, ...], chain: list[YamlSource]) -> tuple[str, int]:
    from bot.catalog.loader import _blame as blame

    src = blame(path, chain)
    return src.file, src.line_of(path)


def check_aliases(catalog: Catalog, own: dict[str, YamlSource], nat: YamlSource) -> list[Problem]:
    """An alias may name one region only (a province may not list a city that has its own file)."""
    seen: dict[str, str] = {}
    out = []
    for code in sorted(catalog.regions):
        region = catalog.regions[code]
        for i, alias in enumerate(dict.fromkeys((region.name, *region.aliases))):
            key = normalize(alias)
            other = seen.setdefault(key, code)
            if other != code:
                src = own.get(code)
                file, line = (src.file, src.line_of(("aliases", i))) if src else ("flows/divisions.yaml", 0)
                msg = f"alias {alias!r} also names {catalog.regions[other].name} ({other}); an alias must be unique"
                out.append(Problem(file, line, "aliases", msg))
    return out


def check_channels_and_strings(
    catalog: Catalog, own: dict[str, YamlSource], nat: YamlSource
) -> list[Problem]:
    """Every identity has a channel everywhere; every flow string renders with the known variables.

    Strings are checked once per file where they are written (every region offers the same variables),
    not once per region that inherits them.
    """
    from bot.pages import flow_context

    out: list[Problem] = []
    for code in catalog.flows:
        for ident in IDENTITIES:
            if not catalog.channels(ident, code):
                file, line = _blame(("identities", ident, "channels"), _chain(catalog, code, own, nat))
                out.append(
                    Problem(file, line, f"identities.{ident}.channels", "no channel left for this identity")
                )
    sources = [
        (nat, catalog.provinces[0].code),
        *((src, code) for code, src in own.items() if code in catalog.flows),
    ]
    for src, code in sources:
        ctx = flow_context(catalog, code)
        for path, text in _strings(src.data):
            try:
                flow_text(text, ctx)
            except UndefinedError as exc:
                out.append(
                    Problem(
                        src.file,
                        src.line_of(path),
                        dotted(path),
                        f"{exc.message}; flow strings may use "
                        "only {{ region }}, {{ province }}, {{ city }}, {{ place }}, {{ hotline }}",
                    )
                )
            except TemplateError as exc:
                out.append(Problem(src.file, src.line_of(path), dotted(path), f"template error: {exc}"))
    return out


def _strings(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(data, str):
        return [(path, data)] if "{" in data else []
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in _strings(v, (*path, k))]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in _strings(v, (*path, i))]
    return []


def check_figures(
    catalog: Catalog, own: dict[str, YamlSource], nat: YamlSource, today: dt.date
) -> list[Problem]:
    """Base floor below ceiling; warn when a figure's verified date is more than a year old."""
    out: list[Problem] = []
    for code, flow in catalog.flows.items():
        chain = _chain(catalog, code, own, nat)
        for ident, body in flow.identities.items():
            f = body.figures
            if f.base_floor.known and f.base_ceiling.known and f.base_floor.value > f.base_ceiling.value:  # type: ignore[operator]
                path = ("identities", ident, "figures", "base_floor", "value")
                file, line = _blame(path, chain)
                out.append(Problem(file, line, dotted(path), "base floor is above the base ceiling"))
            for name in type(f).model_fields:
                fig: Figure[Any] = getattr(f, name)
                if fig.known and fig.verified and today - fig.verified > STALE_AFTER:
                    path = ("identities", ident, "figures", name, "verified")
                    file, line = _blame(path, chain)
                    out.append(
                        Problem(
                            file,
                            line,
                            dotted(path),
                            f"verified {fig.verified}, over a year ago: re-check the source",
                            "warning",
                        )
                    )
    return out


def check_catalog(
    catalog: Catalog, own: dict[str, YamlSource], nat: YamlSource, today: dt.date | None = None
) -> list[Problem]:
    """Run every cross-file check; duplicates (a national problem seen from every region) are merged."""
    today = today or dt.date.today()
    problems = [
        *check_aliases(catalog, own, nat),
        *check_channels_and_strings(catalog, own, nat),
        *check_figures(catalog, own, nat, today),
    ]
    return sorted(set(problems))
