"""Getters for the pages that answer follow-up questions from the instructions page.

``calc_context`` prices contributions with :mod:`bot.pages.calculator`; ``faq_context`` picks the answer to one
question for the chosen identity and region. Both cite every figure and answer with its source and date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.catalog.catalog import Catalog
from bot.catalog.flowstrings import flow_context, flow_text, tax_names
from bot.catalog.models import FAQ_TOPICS, as_identity, as_topic
from bot.pages.calculator import Amount, flexible_quote, parse_base, parse_rate_and_base, resident_quote
from bot.pages.dated import Sources, figure
from bot.pages.instructions import deadline_context, region_code, target_of


def _amount(a: Amount | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"base": a.base, "monthly": a.monthly, "yearly": a.yearly, "percent": a.percent}


def _hotline(catalog: Catalog, code: str) -> str:
    return flow_context(catalog, code)["hotline"]


def calc_context(
    catalog: Catalog,
    slots: dict[str, str],
    today: dt.date,
    typed: str = "",
    on_instructions: bool = True,
) -> dict[str, Any]:
    """The calculator page: tier amounts (flexible) or the yearly amount and subsidies (resident).

    ``on_instructions`` is False when the page answers a typed question before the instructions page,
    where a typed number is not read as a base (so the page does not invite one)."""
    identity = slots["identity"]
    code = region_code(slots)
    flow = catalog.flows[code]
    ident = flow.identities[as_identity(identity)]
    sources = Sources()
    figs = ident.figures
    target, _ = target_of(catalog, flow, identity, today)
    base = parse_base(typed) if typed else None
    typed_rate = None
    if typed and base is None:
        typed_rate, base = parse_rate_and_base(typed)
    out: dict[str, Any] = {
        "identity": identity,
        "region": catalog.regions[code].name,
        "hotline": _hotline(catalog, code),
        "rounding": ident.rounding,
        "typed": typed,
        "invite_base": on_instructions,
    }
    if identity == "resident":
        quote = resident_quote(ident)
        out["amount"] = figure(figs.amount, sources, target)
        out["yearly"] = quote.amount
        out["subsidies"] = [
            {
                "group": s.group,
                "amount": s.amount,
                "text": s.text,
                "year": str(s.year or ""),  # worded by year_text in messages/_dated.html.j2
                "approx": False,
                "earlier": s.year is not None and s.year < target,
                "current": s.year == target,
                "ref": sources.cite(s, s.year),
                "official": s.source_kind == "official",
            }
            for s in ident.subsidies
        ]
        out["legal"] = catalog.national.legal_basis[-1].title
    else:
        q = flexible_quote(ident, base, typed_rate)
        names = ("rate", "base_floor", "base_ceiling", "average_wage", "tiers")
        out["figures"] = {n: figure(getattr(figs, n), sources, target) for n in names}
        out["figures"]["tiers_are_range"] = figs.tiers_are_range
        out["typed_rate"] = typed_rate if not figs.rate.known else None
        out.update(
            rate=q.rate,
            floor=q.floor,
            ceiling=q.ceiling,
            limits_derived=q.limits_derived,
            tiers=[_amount(a) for a in q.tiers],
            edges=[_amount(a) for a in q.edges],
            example=_amount(q.tiers[0] if q.tiers else (q.edges[0] if q.edges else None)),
            check=None,
        )
        if q.check is not None:
            c = q.check
            out["check"] = {
                "entered": c.entered,
                "status": c.status,
                "amount": _amount(c.amount),
                "allowed": _amount(c.allowed),
            }
    out["unparsed"] = bool(typed) and base is None and typed_rate is None
    out["sources"] = sources.items
    return out


def faq_context(catalog: Catalog, slots: dict[str, str], topic: str, today: dt.date) -> dict[str, Any]:
    """The answer to ``topic`` (one of :data:`FAQ_TOPICS`) for the chosen identity, region and channel.

    Without a region (a question typed before choosing one) the national answer is given, ``region``
    is None and the page says so."""
    assert topic in FAQ_TOPICS
    identity = slots["identity"]
    code = region_code(slots) if "province" in slots else None
    flow = catalog.flows[code] if code else catalog.national
    ident = flow.identities[as_identity(identity)]
    fctx = flow_context(catalog, code) if code else national_flow_context(catalog)
    answer = ident.faq[as_topic(topic)]
    sources = Sources()
    ctx: dict[str, Any] = {
        "topic": topic,
        "identity": ident.label,
        "region": catalog.regions[code].name if code else None,
        "hotline": fctx["hotline"],
        "points": [flow_text(p, fctx) for p in answer.points],
        "answer_refs": [
            {"n": sources.cite(answer), "official": answer.source_kind == "official"},
            *(
                {"n": sources.cite(_Cited(c, answer)), "official": c.source_kind == "official"}
                for c in answer.also
            ),
        ],
    }
    if topic == "materials":
        channel = catalog.channel(identity, code, slots.get("channel", "")) if code else None
        ctx["materials"] = [
            flow_text(m, fctx) for m in (*ident.materials, *(channel.materials if channel else ()))
        ]
    elif topic == "start":
        ctx["coverage_start"] = flow_text(ident.coverage_start, fctx)
    elif topic == "deadline":
        ctx.update(deadline_context(catalog, flow, identity, today, sources))
    elif topic == "law":
        ctx["legal_basis"] = [
            {"title": b.title, "text": b.text, "source": b.source} for b in catalog.national.legal_basis
        ]
    ctx["sources"] = sources.items
    return ctx


def national_flow_context(catalog: Catalog) -> dict[str, str]:
    """Flow-string variables for national answers: no place is known, the hotline is the national one."""
    national = catalog.national.hotlines
    return {
        "region": "",
        "province": "",
        "city": "",
        "place": "",
        "hotline": national[0].number if national else "12393",
        "home": catalog.home_word(None),
        **tax_names(None),
    }


def hotline_context(catalog: Catalog, slots: dict[str, str]) -> dict[str, Any]:
    """The hotlines of the chosen region (national ones when no region is chosen yet)."""
    code = region_code(slots) if "province" in slots else None
    flow = catalog.flows[code] if code else catalog.national
    return {
        "region": catalog.regions[code].name if code else None,
        "hotlines": [{"name": h.name, "number": h.number} for h in flow.hotlines],
    }


def is_calc_text(text: str) -> bool:
    """True when typed text is a base ("5000") or a rate ("费率9%"), which the calculator answers."""
    return parse_base(text) is not None or parse_rate_and_base(text)[0] is not None


class _Cited:
    """A further source of an answer: its own source and kind, the answer's retrieval date."""

    def __init__(self, cite: Any, answer: Any) -> None:
        self.source, self.source_kind = cite.source, cite.source_kind
        self.retrieved, self.verified = answer.retrieved, None
