"""``flows new REGION``: write a commented skeleton file for a new province or city that passes lint."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.catalog.catalog import _strip_suffix, normalize
from bot.catalog.loader import DIVISIONS_FILE, REGIONS_DIR, VOCABULARY_FILE
from bot.catalog.models import Division, Divisions
from bot.clock import SYSTEM_CLOCK

_ENV = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent)),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_CODE = re.compile(r"^\d{6}$")
_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")


class ScaffoldError(ValueError):
    """The region cannot be scaffolded as asked; the message says what to give instead."""


@dataclass(frozen=True)
class Skeleton:
    """A file to write: where, what, and hints for the operator."""

    path: Path
    text: str
    hints: tuple[str, ...]


def _divisions(root: Path) -> list[Division]:
    data = yaml.safe_load((root / DIVISIONS_FILE).read_text(encoding="utf-8"))
    return list(Divisions.model_validate(data).provinces)


def _suffixes(root: Path) -> tuple[str, ...]:
    data = yaml.safe_load((root / VOCABULARY_FILE).read_text(encoding="utf-8")) or {}
    return tuple(sorted((str(s) for s in data.get("region_suffixes") or ()), key=len, reverse=True))


def _find_province(provinces: list[Division], text: str) -> Division | None:
    key = normalize(text)
    for d in provinces:
        if key in {normalize(x) for x in (d.code, d.name, d.short, *d.aliases)}:
            return d
    return None


def skeleton(
    root: Path,
    region: str,
    *,
    name: str | None = None,
    parent: str | None = None,
    slug: str | None = None,
    today: dt.date | None = None,
) -> Skeleton:
    """Build the skeleton for ``region``: a province code or name (湖南, 430000), or a city code."""
    provinces = _divisions(root)
    by_code = {d.code: d for d in provinces}
    province = by_code.get(region) or (None if _CODE.match(region) else _find_province(provinces, region))
    hints: list[str] = []
    if province is not None:
        code, parent_div, name = province.code, None, name or province.name
        slug = slug or next((a for a in province.aliases if _SLUG.match(a)), None)
        aliases = [name]
    else:
        if not _CODE.match(region):
            raise ScaffoldError(f"{region!r} is not a province; give a city by its 6-digit code, e.g. 430200")
        code = region
        parent_code = parent or f"{code[:2]}0000"
        parent_div = by_code.get(parent_code) or _find_province(provinces, parent_code)
        if parent_div is None:
            raise ScaffoldError(
                f"unknown province {parent_code!r}: give --parent with a code from {DIVISIONS_FILE}"
            )
        if parent_div.code[:2] != code[:2]:
            raise ScaffoldError(f"city {code} does not lie in {parent_div.name} ({parent_div.code})")
        if not name:
            raise ScaffoldError(f"give the city's name, e.g. --name 株洲市 (for {code})")
        aliases = [name]
        short = _strip_suffix(name, _suffixes(root))
        if short != name:
            taken = normalize(short) in {normalize(a) for a in (parent_div.name, *parent_div.aliases)}
            if taken:
                hints.append(
                    f"'{short}' is still an alias of {parent_div.name} in flows/{DIVISIONS_FILE}: "
                    f"remove it there, then add it to this file's aliases, so typing {short} finds {name}"
                )
            else:
                aliases.append(short)
    if slug is not None and not _SLUG.match(slug):
        raise ScaffoldError(f"--slug must be lowercase pinyin such as zhuzhou, not {slug!r}")
    path = root / REGIONS_DIR / (f"{code}-{slug}.yaml" if slug else f"{code}.yaml")
    if not slug:
        hints.append(
            f"name the file {code}-<pinyin>.yaml (e.g. with --slug zhuzhou) to match the other files"
        )
    text = _ENV.get_template("skeleton.yaml.j2").render(
        code=code,
        name=name,
        parent=parent_div.code if parent_div else None,
        parent_name=parent_div.name if parent_div else "",
        aliases=aliases,
        alias_hints=hints[:1] if hints and "alias" in hints[0] else [],
        path=path,
        today=(today or SYSTEM_CLOCK.today()).isoformat(),
    )
    return Skeleton(path, text, tuple(hints))
