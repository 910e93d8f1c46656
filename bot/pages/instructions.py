"""Getters: build the plain-data context each page template needs from the catalog and the session.

Templates only format; every lookup and calculation happens here, once per step.
"""

from __future__ import annotations

from typing import Any

from bot.catalog.catalog import Catalog
from bot.catalog.flowstrings import flow_context, flow_text
from bot.catalog.models import Figure, Flow, as_channel, as_identity
from bot.money import contribution


class _Sources:
    """Numbers each distinct source once so figures can cite it as [1], [2], …"""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._index: dict[tuple[Any, ...], int] = {}

    def cite(self, source: str, kind: str | None, verified: Any, year: Any = None) -> int:
        key = (source, kind, str(verified))
        if key not in self._index:
            self.items.append(
                {
                    "n": len(self.items) + 1,
                    "source": source,
                    "kind": kind or "",
                    "verified": str(verified or ""),
                    "official": kind == "official",
                }
            )
            self._index[key] = len(self.items)
        return self._index[key]


def _figure(fig: Figure[Any], sources: _Sources) -> dict[str, Any]:
    if not fig.known:
        return {"known": False, "note": fig.note or ""}
    ref = sources.cite(fig.source or "", fig.source_kind, fig.verified, fig.year)
    return {
        "known": True,
        "value": fig.value,
        "year": str(fig.year),
        "official": fig.source_kind == "official",
        "ref": ref,
        "note": fig.note or "",
    }


def region_code(slots: dict[str, str]) -> str:
    """The most specific region chosen: the city if one was chosen, else the province."""
    return slots.get("city") or slots["province"]


def amounts(flow: Flow, identity: str, sources: _Sources) -> dict[str, Any]:
    """Figures for the page, each with a citation, plus derived monthly amounts for flexible employees."""
    ident = flow.identities[as_identity(identity)]
    figs = ident.figures
    out: dict[str, Any] = {
        name: _figure(getattr(figs, name), sources)
        for name in ("amount", "base_floor", "base_ceiling", "rate", "tiers", "period")
    }
    if figs.rate.known and figs.rate.value is not None:
        for edge in ("floor", "ceiling"):
            base = getattr(figs, f"base_{edge}")
            if base.known:
                out[f"monthly_{edge}"] = contribution(base.value, figs.rate.value, ident.rounding)
    return out


def instructions_context(catalog: Catalog, slots: dict[str, str]) -> dict[str, Any]:
    """Everything the instructions page shows for the chosen identity, region and channel."""
    identity, channel_id = slots["identity"], slots["channel"]
    code = region_code(slots)
    flow = catalog.flows[code]
    ident = flow.identities[as_identity(identity)]
    channel = catalog.channel(identity, code, channel_id)
    assert channel is not None  # the wizard only offers channels the region defines
    fctx = flow_context(catalog, code)
    sources = _Sources()
    figures = amounts(flow, identity, sources)
    channel_ref = sources.cite(channel.source, channel.source_kind, channel.verified)
    hotlines = [{"name": h.name, "number": h.number} for h in flow.hotlines]
    return {
        "identity": {"id": identity, "label": ident.label},
        "region": {"name": catalog.regions[code].name, "province": fctx["province"], "city": fctx["city"]},
        "channel": {
            "id": channel_id,
            "label": catalog.national.channel_labels[as_channel(channel_id)].label,
            "title": channel.title,
            "url": channel.url or "",
            "ref": channel_ref,
            "official": channel.source_kind == "official",
        },
        "steps": [flow_text(s, fctx) for s in channel.steps],
        "materials": [flow_text(s, fctx) for s in (*ident.materials, *channel.materials)],
        "tips": [flow_text(s, fctx) for s in channel.tips],
        "alternatives": [{"name": a.name, "how": flow_text(a.how, fctx)} for a in channel.alternatives],
        "figures": figures,
        "coverage_start": flow_text(ident.coverage_start, fctx),
        "legal_basis": [{"title": b.title, "text": b.text} for b in catalog.national.legal_basis],
        "hotlines": hotlines,
        "notes": [flow_text(n, fctx) for n in (*ident.notes, *flow.notes)],
        "sources": sources.items,
        "family": None,
    }
