"""What the admin commands say: a reload's outcome and the /flows summary, as Telegram HTML messages.

The contexts are built here; the words are ``messages/admin_reload.html.j2`` and
``messages/admin_flows.html.j2``. Long answers are cut to a sensible number of lines (with a count of
what was left out) and split into messages of at most 4096 characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bot.adapters.telegram.split import split_message
from bot.catalog.catalog import Catalog
from bot.catalog.checks import STALE_AFTER
from bot.clock import SYSTEM_CLOCK
from bot.errors import Problem
from bot.render import Renderer
from bot.tools.coverage import coverage, summary
from bot.tools.reload import Changes

CHINA = dt.timezone(dt.timedelta(hours=8), "UTC+8")  # admins read times in Beijing time
MAX_ERRORS = 40  # problems listed after a refused reload; the rest are counted
MAX_WARNINGS = 10  # warnings listed after a good reload
MAX_PROBLEM = 300  # characters of one problem line (a message quoting a whole file is cut)
MAX_NAMED = 20  # regions named per kind of change (a national.yaml edit changes every region)
MAX_CITY_LINES = 150  # /flows lists every city up to this many regions; above, cities are counted


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _lines(problems: Sequence[Problem], limit: int) -> tuple[list[str], int]:
    """The first ``limit`` problems as ``file:line: field: message`` lines, and how many were left out."""
    shown = [str(p) if len(str(p)) <= MAX_PROBLEM else str(p)[: MAX_PROBLEM - 1] + "…" for p in problems]
    return shown[:limit], max(0, len(shown) - limit)


def _named(codes: Sequence[str], *catalogs: Catalog | None) -> dict[str, Any]:
    """``{name, code}`` of the first :data:`MAX_NAMED` regions (names from the first catalog that has
    them, "" when none has), and how many there are in all (the template writes ``name（code）``)."""
    names = []
    for code in codes[:MAX_NAMED]:
        region = next((c.regions[code] for c in catalogs if c is not None and code in c.regions), None)
        names.append({"name": region.name if region else "", "code": code})
    return {"names": names, "total": len(codes), "more": len(codes) - len(names)}


def reload_context(
    swapped: bool,
    problems: Sequence[Problem],
    diff: Changes,
    catalog: Catalog,
    before: Catalog | None = None,
    *,
    watched: bool = False,
    recovered: bool = False,
) -> dict[str, Any]:
    """The template context of a reload's outcome; ``catalog`` is the one now in use."""
    errors = sorted(p for p in problems if p.severity != "warning")
    warnings = sorted(p for p in problems if p.severity == "warning")
    shown_errors, more_errors = _lines(errors, MAX_ERRORS)
    shown_warnings, more_warnings = _lines(warnings, MAX_WARNINGS)
    cities = sum(1 for r in catalog.regions.values() if r.parent)
    return {
        "ok": swapped,
        "watched": watched,
        "recovered": recovered,
        "regions": len(catalog.regions),
        "provinces": len(catalog.regions) - cities,
        "cities": cities,
        "loaded_at": _when(catalog.loaded_at),
        "errors": len(errors),
        "shown_errors": shown_errors,
        "more_errors": more_errors,
        "warnings": len(warnings),
        "shown_warnings": shown_warnings,
        "more_warnings": more_warnings,
        "added": _named(diff.added, catalog, before),
        "removed": _named(diff.removed, before, catalog),
        "changed": _named(diff.changed, catalog, before),
    }


def flows_context(catalog: Catalog, today: dt.date | None = None) -> dict[str, Any]:
    """The template context of /flows: every region with its figures' coverage years and retrieval dates."""
    today = today or SYSTEM_CLOCK.today()
    rows = coverage(catalog)
    list_cities = len(rows) <= MAX_CITY_LINES
    entries: list[dict[str, Any]] = []
    for row in rows:
        oldest, newest = row.retrieved or (None, None)
        entry = {
            "name": row.name,
            "code": row.code,
            "city": row.is_city,
            "oldest": str(oldest) if oldest else "",
            "newest": str(newest) if newest else "",
            "stale": oldest is not None and today - oldest > STALE_AFTER,
            "cities": len(catalog.cities_of.get(row.code, ())),
            "years": row.years_text,
        }
        entries.append(entry)
    dates = [d for r in rows if r.retrieved for d in r.retrieved]
    by_year = summary(catalog, rows)["by_year"]
    cities = sum(r.is_city for r in rows)
    return {
        "loaded_at": _when(catalog.loaded_at),
        "regions": len(rows),
        "provinces": len(rows) - cities,
        "cities": cities,
        "oldest": str(min(dates)) if dates else "",
        "newest": str(max(dates)) if dates else "",
        "stale": sum(1 for e in entries if e["stale"]),
        "stale_days": STALE_AFTER.days,
        "list_cities": list_cities,
        "rows": [e for e in entries if list_cities or not e["city"]],
        "by_year": by_year,
    }


def render_messages(renderer: Renderer, template: str, context: dict[str, Any]) -> list[str]:
    """Render ``template`` and split it into Telegram messages of at most 4096 characters."""
    return split_message(renderer.text(template, **context))
