"""Getters: build the plain-data context each page template needs from the catalog and the session.

Templates only format; every lookup and calculation happens here, once per step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.catalog.catalog import Catalog
from bot.catalog.flowstrings import TAX_KINDS, flow_context, flow_text
from bot.catalog.models import Figure, Flow, as_channel, as_identity
from bot.money import contribution
from bot.pages.dated import Sources, collection, figure, flexible_year

_Sources = Sources  # the old name, kept for importers
# Whom the guide says a word to first: schools usually enrol students; a newborn enrolled within the local
# time limit is covered from birth.
FIRST_WORD_FOR: tuple[str, ...] = ("newborn", "student")


def _figure(fig: Figure[Any], sources: Sources, target: int | None = None) -> dict[str, Any]:
    """A figure for a page (see :func:`bot.dated.figure`); without a target year its own year is used."""
    return figure(fig, sources, target if target is not None else (fig.year or 0))


def named_channels(flow: Flow, texts: list[str], sources: Sources) -> list[dict[str, Any]]:
    """The provincial channels a page names, each with its own citation."""
    found = [
        named
        for named in (getattr(flow.tax_channels, k) for k in TAX_KINDS)
        if named is not None and any(named.name in t for t in texts)
    ]
    out: list[dict[str, Any]] = []
    for named in sorted(found, key=lambda n: -len(n.name)):  # "河南税务" is part of "河南税务App"
        if not any(named.name in o["name"] for o in out):
            out.append(
                {"name": named.name, "ref": sources.cite(named), "official": named.source_kind == "official"}
            )
    return out


def region_code(slots: dict[str, str]) -> str:
    """The most specific region chosen: the city if one was chosen, else the province."""
    return slots.get("city") or slots["province"]


def amounts(flow: Flow, identity: str, sources: Sources, target: int) -> dict[str, Any]:
    """Figures for the page, each with its year state and citation, plus derived monthly amounts.

    Monthly amounts are derived only from figures of one year (floor, ceiling and rate alike)."""
    ident = flow.identities[as_identity(identity)]
    figs = ident.figures
    out: dict[str, Any] = {
        name: figure(getattr(figs, name), sources, target)
        for name in ("amount", "base_floor", "base_ceiling", "rate", "tiers", "average_wage", "period")
    }
    out["tiers_are_range"] = figs.tiers_are_range
    if figs.rate.known and figs.rate.value is not None:
        for edge in ("floor", "ceiling"):
            base = getattr(figs, f"base_{edge}")
            if base.known:
                out[f"monthly_{edge}"] = contribution(base.value, figs.rate.value, ident.rounding)
        years = {figs.rate.year, figs.base_floor.year, figs.base_ceiling.year}
        # The figure whose year the monthly amounts are from, when all three share it ("" otherwise).
        year = figure(figs.base_floor, sources, target) if len(years) == 1 else None
        out["monthly_year"] = year if year is not None and year["known"] else ""
    return out


def target_of(
    catalog: Catalog, flow: Flow, identity: str, today: dt.date
) -> tuple[int, dict[str, Any] | None]:
    """The year figures are compared with (and, for residents, the collection state on ``today``)."""
    if identity != "resident":
        return flexible_year(today), None
    figs = flow.identities["resident"].figures
    national = catalog.national.identities["resident"].figures.window
    coll = collection(figs.window, national, today, Sources())
    return coll["year"], coll


def deadline_context(
    catalog: Catalog, flow: Flow, identity: str, today: dt.date, sources: Sources
) -> dict[str, Any]:
    """The "缴费期限" values: the collection on ``today`` (residents) and the period in words."""
    figs = flow.identities[as_identity(identity)].figures
    target, _ = target_of(catalog, flow, identity, today)
    out: dict[str, Any] = {"period": figure(figs.period, sources, target), "collection": None}
    if identity == "resident":
        national = catalog.national.identities["resident"].figures.window
        out["collection"] = collection(figs.window, national, today, sources)
    return out


def family_context(
    identity: str, amount: dict[str, Any] | None, who: str, people: int
) -> dict[str, Any] | None:
    """Whom the payment is for and, for several people, the total where the figure allows (residents
    pay one fixed ``amount`` each, a figure from :func:`bot.pages.dated.figure`; flexible employees each
    choose a base); None when there is nothing to say."""
    if who not in FIRST_WORD_FOR and people < 2:
        return None
    out: dict[str, Any] = {
        "who": who, "first": who in FIRST_WORD_FOR, "people": people, "identity": identity, "total": None
    }  # fmt: skip
    if identity == "resident" and people > 1 and amount is not None and amount["known"]:
        out.update(total=amount["value"] * people, each=amount["value"], figure=amount)
    return out


def instructions_context(
    catalog: Catalog, slots: dict[str, str], today: dt.date, who: str = "", people: int = 0
) -> dict[str, Any]:
    """Everything the instructions page shows for the chosen identity, region and channel on ``today``,
    for ``people`` people (0: not said) when the payment is for ``who`` (a name from ``WHO``)."""
    identity, channel_id = slots["identity"], slots["channel"]
    code = region_code(slots)
    flow = catalog.flows[code]
    ident = flow.identities[as_identity(identity)]
    channel = catalog.channel(identity, code, channel_id)
    assert channel is not None  # the wizard only offers channels the region defines
    fctx = flow_context(catalog, code)
    sources = Sources()
    target, _ = target_of(catalog, flow, identity, today)
    figures = amounts(flow, identity, sources, target)
    deadline = deadline_context(catalog, flow, identity, today, sources)
    channel_ref = sources.cite(channel)
    family = family_context(identity, figures["amount"], who, people)
    note = catalog.national.first_words.get(who)
    if family is not None and family["first"] and note is not None:
        family["note"] = {
            "text": note.text, "ref": sources.cite(note), "official": note.source_kind == "official"
        }  # fmt: skip
    hotlines = [{"name": h.name, "number": h.number} for h in flow.hotlines]
    steps = [flow_text(s, fctx) for s in channel.steps]
    alternatives = [{"name": a.name, "how": flow_text(a.how, fctx)} for a in channel.alternatives]
    title = flow_text(channel.title, fctx)
    names = named_channels(flow, [title, *steps, *(a["how"] for a in alternatives)], sources)
    return {
        "identity": {"id": identity, "label": ident.label},
        "region": {"name": catalog.regions[code].name, "province": fctx["province"], "city": fctx["city"]},
        "channel": {
            "id": channel_id,
            "label": catalog.national.channel_labels[as_channel(channel_id)].label,
            "title": title,
            "url": channel.url or "",
            "ref": channel_ref,
            "official": channel.source_kind == "official",
        },
        "steps": steps,
        "channel_names": names,
        "materials": [flow_text(s, fctx) for s in (*ident.materials, *channel.materials)],
        "tips": [flow_text(s, fctx) for s in channel.tips],
        "alternatives": alternatives,
        "figures": figures,
        "target_year": target,
        "collection": deadline["collection"],
        "coverage_start": flow_text(ident.coverage_start, fctx),
        "legal_basis": [{"title": b.title, "text": b.text} for b in catalog.national.legal_basis],
        "hotlines": hotlines,
        "hotline": fctx["hotline"],
        "notes": [flow_text(n, fctx) for n in (*ident.notes, *flow.notes)],
        "sources": sources.items,
        "family": family,
        "more_hint": True,
    }
