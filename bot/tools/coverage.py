"""Content coverage: which regions, channels and figures the flows define, as a table and a summary.

``python -m bot flows coverage`` prints one row per region: the channels offered to each identity (a
``*`` marks a channel the region or its province defines itself), each figure's state, the coverage
years of the figures it shows (so operators see what to renew) and the dates its material was retrieved. Figure states: ``✓`` set by the region's own file, ``P`` inherited from the province,
``N`` the national default, ``·`` unknown (null: the bot says it is set locally and gives the hotline).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.catalog.catalog import Catalog
from bot.catalog.models import FAQ_TOPICS, IDENTITIES, as_channel, as_identity

# The figures that matter for each identity, in table order, with their column headings.
FIGURES: dict[str, tuple[tuple[str, str], ...]] = {
    "resident": (("amount", "金额"), ("window", "期限")),
    "flexible": (
        ("rate", "费率"),
        ("base_floor", "下限"),
        ("base_ceiling", "上限"),
        ("average_wage", "均资"),
        ("tiers", "档次"),
        ("period", "期限"),
    ),
}
SHORT = {"wechat": "微", "alipay": "支", "tax": "税", "bank": "银", "hall": "厅"}


@dataclass(frozen=True)
class Row:
    """Coverage of one region."""

    code: str
    name: str
    is_city: bool
    channels: dict[str, tuple[tuple[str, bool], ...]]  # identity -> (channel, regional?)
    figures: dict[str, tuple[tuple[str, str], ...]]  # identity -> (figure, state)
    retrieved: tuple[dt.date, dt.date] | None  # oldest and newest retrieval date of what it shows
    years: tuple[int | None, ...] = ()  # coverage year of every known figure it shows (None: undated)

    @property
    def years_text(self) -> str:
        """The figures' coverage years, e.g. ``2021..2025`` (``?`` for figures whose page names no year)."""
        dated = sorted({y for y in self.years if y is not None})
        text = "" if not dated else str(dated[0]) if len(dated) == 1 else f"{dated[0]}..{dated[-1]}"
        return text + ("?" if None in self.years else "")


def _state(catalog: Catalog, code: str, identity: str, name: str) -> str:
    fig = getattr(catalog.flows[code].identities[as_identity(identity)].figures, name)
    if not fig.known:
        return "·"
    if fig == getattr(catalog.national.identities[as_identity(identity)].figures, name):
        return "N"
    parent = catalog.regions[code].parent
    if parent and fig == getattr(catalog.flows[parent].identities[as_identity(identity)].figures, name):
        return "P"
    return "✓"


def _dates(catalog: Catalog, code: str) -> list[dt.date]:
    out: list[dt.date] = []
    for identity, body in catalog.flows[code].identities.items():
        for name, _ in FIGURES[identity]:
            fig = getattr(body.figures, name)
            if fig.known and fig.retrieved:
                out.append(fig.retrieved)
        out += [c.retrieved for c in body.channels.values() if c is not None]
        out += [s.retrieved for s in body.subsidies]
        out += [a.retrieved for a in body.faq.values()]
    return out


def _years(catalog: Catalog, code: str) -> tuple[int | None, ...]:
    out: list[int | None] = []
    for identity, body in catalog.flows[code].identities.items():
        for name, _ in FIGURES[identity]:
            fig = getattr(body.figures, name)
            if fig.known:
                out.append(fig.year)
    return tuple(out)


def coverage(catalog: Catalog) -> list[Row]:
    """One row per region, provinces first, each followed by its cities."""
    rows = []
    order = [c for p in catalog.provinces for c in (p, *catalog.cities_of.get(p.code, ()))]
    for region in order:
        code = region.code
        channels, figures = {}, {}
        for identity in IDENTITIES:
            national = catalog.national.identities[as_identity(identity)].channels
            channels[identity] = tuple(
                (c, catalog.channel(identity, code, c) != national.get(as_channel(c)))
                for c in catalog.channels(identity, code)
            )
            figures[identity] = tuple((n, _state(catalog, code, identity, n)) for n, _ in FIGURES[identity])
        dates = _dates(catalog, code)
        rows.append(
            Row(
                code,
                region.name,
                region.parent is not None,
                channels,
                figures,
                (min(dates), max(dates)) if dates else None,
                _years(catalog, code),
            )
        )
    return rows


def summary(catalog: Catalog, rows: list[Row]) -> dict[str, Any]:
    """Totals: regions, cities, combinations, pages and the share of figures known."""
    combos = sum(len(r.channels[i]) for r in rows for i in IDENTITIES)
    states = [s for r in rows for i in IDENTITIES for _, s in r.figures[i]]
    known = sum(s != "·" for s in states)
    local = sum(s in ("✓", "P") for s in states)
    cities = sum(r.is_city for r in rows)
    by_year: dict[str, int] = {}
    for r in rows:
        for y in r.years:
            key = str(y) if y is not None else "?"
            by_year[key] = by_year.get(key, 0) + 1
    return {
        "by_year": dict(sorted(by_year.items())),
        "regions": len(rows),
        "provinces": len(rows) - cities,
        "cities": cities,
        "combinations": combos,
        "followups": len(FAQ_TOPICS) + 1,
        "figures": len(states),
        "known": known,
        "local": local,
    }


def summary_line(s: dict[str, Any]) -> str:
    """The one-line summary printed under the table."""
    pct = 100 * s["known"] / s["figures"] if s["figures"] else 0.0
    local = 100 * s["local"] / s["figures"] if s["figures"] else 0.0
    return (
        f"regions: {s['regions']} ({s['provinces']} provinces + {s['cities']} cities); "
        f"combinations (region x identity x channel): {s['combinations']}, "
        f"x {s['followups']} follow-ups = {s['combinations'] * (s['followups'] + 1)} pages; "
        f"figures known: {s['known']}/{s['figures']} ({pct:.1f}%), "
        f"set regionally: {s['local']}/{s['figures']} ({local:.1f}%); "
        "figures shown by coverage year: "
        + (", ".join(f"{y}: {n}" for y, n in s["by_year"].items()) or "none")
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_report(catalog: Catalog) -> str:
    """The whole report: legend, table and summary line."""
    rows = coverage(catalog)
    head = ["code", "地区", "灵活就业渠道", "居民渠道"]
    head += [f"灵·{h}" for _, h in FIGURES["flexible"]] + [f"居·{h}" for _, h in FIGURES["resident"]]
    head += ["年度", "取数日期"]
    table = [head]
    for r in rows:
        name = ("  " if r.is_city else "") + r.name
        chans = [" ".join(SHORT[c] + ("*" if own else "") for c, own in r.channels[i]) for i in IDENTITIES]
        figs = [s for i in IDENTITIES for _, s in r.figures[i]]
        dates = "" if r.retrieved is None else str(r.retrieved[0])
        if r.retrieved and r.retrieved[0] != r.retrieved[1]:
            dates += f"..{r.retrieved[1]}"
        table.append([r.code, name, *chans, *figs, r.years_text, dates])
    widths = [max(_width(row[i]) for row in table) for i in range(len(head))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table]
    legend = (
        "channels: 微 wechat, 支 alipay, 税 tax, 银 bank, 厅 hall; * = defined by the region or its province\n"
        "figures: ✓ set by the region's file, P inherited from the province, N national default, · unknown\n"
        "年度: coverage years of the figures shown (? = the page names no year); 取数日期: when the material "
        "was retrieved (nothing here was compared with an official notice unless its source is official "
        "and has verified:)"
    )
    return "\n".join([legend, "", *lines, "", summary_line(summary(catalog, rows))])
