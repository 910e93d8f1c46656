"""Time-aware, honestly sourced figures for the page getters (instructions, calculator, answers).

Every figure on a page is labelled with its coverage year and compared with the coverage year a person
paying today pays for; collection windows are projected onto today. The wording choices are made here as
plain values (numbers, dates, states), and the templates word them. Context values:

``sources``  list of source lines, each ``{n, label, links: [{href, text}], kind, official, verified,
             retrieved, year, year_of}``; ``verified`` is "" unless someone compared it with an official
             source; ``year`` is the year the source is about ("" when its label names one), ``year_of``
             ``figure`` (a coverage year) or ``address`` (a year in its address).
figure      ``{known, value, year, approx, state, target_year, ref, official, note}`` where ``state`` is
             ``current`` (the figure is for ``target_year``), ``earlier`` (for an older year: show it as
             history), ``later`` (for a later year) or ``undated`` (the page named no year); ``approx``
             when the year is approximate (its ``year_note`` starts with 约). Templates word the year
             (``year_text`` in ``messages/_dated.html.j2``: "2025年度" / "约2021年度" / "年份不详").
collection  (residents) ``{state, year, start, end, next_year, next_start, ending_soon, window}``:
             ``state`` is ``open`` (a collection for ``year`` runs today) or ``closed`` (``year`` is in
             force, its collection ended on ``end``; the next, for ``next_year``, starts ``next_start``);
             dates are ``{y, m, d}`` (worded by the ``date`` macro) projected from ``window``, the window as
             recorded
             ``{known, year, start, end, current, typical, ref, official, note}``; ``current`` is True
             when the recorded window is the one for ``year``; ``typical`` when it is the national custom.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bot.catalog.models import Figure, Provenance, Window
from bot.catalog.timeline import Collection, coverage_year, resident_collection

ENDING_SOON = dt.timedelta(days=31)
_ADDRESS = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s()（）;；,，]*)?", re.IGNORECASE)
_YEAR = re.compile(r"(20\d\d)")
_URL_YEAR = re.compile(r"/(20[012]\d)(?:[/_-]|[01]\d)")
_APPROX = re.compile(r"约")  # how a year_note in the flows says "about"


def day(d: dt.date) -> dict[str, int]:
    """A date for a page: ``{y, m, d}`` (the ``date`` macro of ``messages/_dated.html.j2`` words it)."""
    return {"y": d.year, "m": d.month, "d": d.day}


# Full-width forms of ASCII punctuation (U+FF01..U+FF5E mirror U+0021..U+007E): source labels are
# shown with Chinese punctuation (STYLE.md) whichever the operator typed.
_FULL = 0xFEE0


def full_width(text: str) -> str:
    """``text`` with ASCII ``(``, ``)``, ``,`` and ``;`` in their full-width forms."""
    return text.translate({ord(c): ord(c) + _FULL for c in "(),;"})


def split_source(source: str) -> tuple[str, list[dict[str, str]]]:
    """A source text as a label (publisher, title) and its addresses as links."""
    links: list[dict[str, str]] = []
    for m in _ADDRESS.finditer(source):
        address = m.group(0).rstrip(".")
        if "." not in address.split("/")[0]:
            continue
        href = address if address.startswith("http") else f"https://{address}"
        host = re.sub(r"^(?:https?://)?(?:m\.|www\.)?", "", address).split("/")[0]
        links.append({"href": href, "text": host})
    pieces = []
    for part in re.split(r"[;；]", source):
        text = _ADDRESS.sub("", part).strip()
        text = re.sub(r"[(（]\s*[)）]", "", text)  # brackets left empty by a removed address
        text = re.sub(r"[(（]\s*(转载)\s*[)）]", r"(\1)", text)  # "reprinted", as the operator marked it
        text = re.sub(r"[,，]?\s*见\s*(等)?\s*$|\s+等\s*$", "", text)
        text = full_width(text).strip(" " + full_width(","))
        bracketed = re.fullmatch(r"[(（]([^()（）]*)[)）]", text)
        text = bracketed.group(1) if bracketed else text
        if text and text not in pieces:
            pieces.append(text)
    return full_width(";").join(pieces), links


class Sources:
    """Numbers each distinct source once so figures can cite it as [1], [2], …"""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._index: dict[tuple[Any, ...], int] = {}

    def cite(self, p: Provenance | Any, year: int | None = None) -> int:
        """The number of ``p``'s source on this page (added on first use)."""
        source = p.source or ""
        kind = p.source_kind or ""
        verified = getattr(p, "verified", None) if kind == "official" else None
        key = (source, kind, verified)
        n = self._index.get(key)
        if n is None:
            label, links = split_source(source)
            if _YEAR.search(label):
                when, of = "", ""  # the label names its year ("2026年度…公告")
            elif year:
                when, of = str(year), "figure"
            else:
                found = _URL_YEAR.findall(" ".join(link["href"] for link in links))
                when, of = (found[0], "address") if found else ("", "")
            self.items.append(
                {
                    "n": len(self.items) + 1,
                    "label": label,
                    "links": links,
                    "kind": kind,
                    "official": kind == "official",
                    "verified": str(verified or ""),
                    "retrieved": str(getattr(p, "retrieved", None) or ""),
                    "year": when,
                    "year_of": of,
                }
            )
            n = self._index[key] = len(self.items)
        return n


def approximate(fig: Figure[Any]) -> bool:
    """True when the figure's year is approximate: its ``year_note`` (flow text) starts with 约."""
    return bool(fig.year_note and _APPROX.match(fig.year_note))


def figure(fig: Figure[Any], sources: Sources, target: int) -> dict[str, Any]:
    """A figure for a page: value, year wording, state against ``target`` year, citation, note."""
    out: dict[str, Any] = {"known": fig.known, "note": fig.note or "", "target_year": target}
    if not fig.known:
        return {**out, "state": "unknown", "year": "", "approx": False}
    if fig.year is None:
        state = "undated"
    elif fig.year == target:
        state = "current"
    else:
        state = "earlier" if fig.year < target else "later"
    return {
        **out,
        "value": fig.value,
        "year": str(fig.year or ""),
        "approx": approximate(fig),
        "state": state,
        "official": fig.source_kind == "official",
        "ref": sources.cite(fig, fig.year),
    }


def collection(
    window: Figure[Window], national: Figure[Window], today: dt.date, sources: Sources
) -> dict[str, Any]:
    """The resident collection state on ``today`` for a region whose recorded window is ``window``."""
    fig = window if window.known else national
    typical = fig == national
    c: Collection = resident_collection(today, window, national)
    recorded: dict[str, Any] = {"known": False}
    if fig.known and fig.value is not None:
        w = fig.value
        recorded = {
            "known": True,
            "year": fig.year,
            "start": day(w.start) if w.start else "",
            "end": day(w.end),
            "current": fig.year == c.year,
            "next": fig.year == c.next_year and c.state == "closed",
            "typical": typical,
            "ref": sources.cite(fig, fig.year),
            "official": fig.source_kind == "official",
            "note": fig.note or "",
        }
    return {
        "state": c.state,
        "year": c.year,
        "start": day(c.start),
        "end": day(c.end),
        "next_year": c.next_year,
        "next_start": day(c.next_start),
        "ending_soon": c.state == "open" and c.end - today <= ENDING_SOON,
        "today": day(today),
        "window": recorded,
    }


def flexible_year(today: dt.date) -> int:
    """The year whose bases and rates a flexible employee pays at today (bases change every year)."""
    return coverage_year(today, "flexible")
