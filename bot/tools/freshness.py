"""Freshness at a glance, usage counts and open reports, for operators (``flows stale``, ``stats``,
``reports``; the admins' ``/flows``, ``/stats`` and ``/reports`` show the same).

Everything here is computed from the catalog and what the store holds (reports, counts); the command
line prints it as plain text, the Telegram adapter renders the same contexts with ``messages/``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.catalog.catalog import Catalog
from bot.catalog.models import Figure
from bot.catalog.timeline import coverage_year
from bot.feedback import CHINA, NO_REGION, UNKNOWN_PREFIX, CountKey, Report
from bot.session import STATES
from bot.tools.coverage import FIGURES
from bot.wizard.usage import FOLLOWUP, REPORT, START, STEP

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
FUNNEL = STATES  # identity -> province -> city -> channel -> instructions


def collecting_year(today: dt.date) -> int:
    """The coverage year residents pay for on ``today`` under the national custom (the header's year;
    each region is compared with its own year, see :func:`bot.catalog.timeline.coverage_year`)."""
    return coverage_year(today, "resident")


def figure_year(fig: Figure[Any]) -> int | None:
    """The coverage year a figure states (``2025``, ``"2025年度"``), or None."""
    if isinstance(fig.year, int):
        return fig.year
    m = _YEAR.search(str(fig.year or ""))
    return int(m.group(1)) if m else None


@dataclass
class Freshness:
    """One region's state: unknown figures, figures older than the year collected, reports, visits."""

    code: str
    name: str
    unknown: list[str] = field(default_factory=list)  # "resident.amount"
    old: list[str] = field(default_factory=list)  # "resident.amount 2025"
    reports: int = 0  # open reports
    visits: int = 0  # guides shown (step:instructions) over the kept days

    @property
    def fine(self) -> bool:
        """True when nothing is unknown, old or reported."""
        return not (self.unknown or self.old or self.reports)


def freshness(
    catalog: Catalog, reports: Iterable[Report], counts: Mapping[CountKey, int], today: dt.date
) -> list[Freshness]:
    """Every region, the most visited first (then by code). A figure is old when its year is before the
    coverage year it is compared with on ``today`` (:func:`bot.catalog.timeline.coverage_year`, the rule
    the pages and the lint use): for residents the year collected or in force under the region's window,
    for flexible employees (paid monthly) this year."""
    national_window = catalog.national.identities["resident"].figures.window
    open_reports = Counter(r.region for r in reports if r.open)
    visits: Counter[str] = Counter()
    for (_day, where, name), n in counts.items():
        if name == STEP + "instructions":
            visits[where] += n
    rows = []
    for code, region in catalog.regions.items():
        row = Freshness(code, region.name, reports=open_reports[code], visits=visits[code])
        flow = catalog.flows[code]
        for identity, names in FIGURES.items():
            figures = flow.identities[identity].figures  # type: ignore[index]
            window = flow.identities["resident"].figures.window
            year = coverage_year(today, identity, window, national_window)
            for name, _ in names:
                fig = getattr(figures, name)
                if name in ("average_wage", "tiers"):
                    continue  # optional: the floor and ceiling say the same
                if not fig.known:
                    row.unknown.append(f"{identity}.{name}")
                elif (y := figure_year(fig)) is None or y < year:
                    row.old.append(f"{identity}.{name} {y or '?'}<{year}")
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.visits, -r.reports, r.code))


def format_stale(rows: Sequence[Freshness], today: dt.date, show_all: bool = False) -> str:
    """``flows stale`` as text: a header, then one block per region that needs attention."""
    needing = [r for r in rows if not r.fine]
    lines = [
        f"on {today}: residents pay for coverage year {collecting_year(today)}; "
        f"flexible employees for {coverage_year(today, 'flexible')}",
        f"{len(needing)} of {len(rows)} regions need attention (most visited first)",
        "",
    ]
    for r in rows if show_all else needing:
        lines.append(f"{r.code} {r.name}  visits {r.visits}  open reports {r.reports}")
        if r.unknown:
            lines.append(f"    unknown: {', '.join(r.unknown)}")
        if r.old:
            lines.append(f"    older than the year in force: {', '.join(r.old)}")
    return "\n".join(lines).rstrip() + "\n"


def stale_context(rows: Sequence[Freshness], today: dt.date, limit: int = 30) -> dict[str, Any]:
    """The admins' summary (``/flows``): the most visited regions that need attention."""
    needing = [r for r in rows if not r.fine]
    return {
        "year": collecting_year(today),
        "this_year": coverage_year(today, "flexible"),
        "regions": len(rows),
        "needing": len(needing),
        "rows": needing[:limit],
        "more": max(0, len(needing) - limit),
    }


# ----- usage counts ---------------------------------------------------------------------------------
@dataclass
class DayStats:
    """One day's counts."""

    day: str
    started: int = 0
    steps: dict[str, int] = field(default_factory=dict)  # state -> entries
    guides: Counter[str] = field(default_factory=Counter)  # region -> guides shown
    followups: Counter[str] = field(default_factory=Counter)  # calc, faq-<topic> -> opened
    reports: int = 0
    unknown: Counter[str] = field(default_factory=Counter)  # not-understood text -> times

    @property
    def dropped(self) -> list[tuple[str, int]]:
        """How many entered each step and did not go on (never negative). Without user ids this is
        entries into a step minus entries into the next; the city step is part of the place step
        (only some provinces have it). /start counts as entering the first step."""
        reached = [
            ("identity", self.started),
            ("province", self.steps.get("province", 0)),
            ("channel", self.steps.get("channel", 0)),
            ("instructions", self.steps.get("instructions", 0)),
        ]
        return [(s, max(0, n - reached[i + 1][1])) for i, (s, n) in enumerate(reached[:-1])]


def day_stats(counts: Mapping[CountKey, int]) -> list[DayStats]:
    """Counts by day, newest first."""
    days: dict[str, DayStats] = {}
    for (day, region, name), n in counts.items():
        d = days.setdefault(day, DayStats(day, steps=dict.fromkeys(FUNNEL, 0)))
        if name == START:
            d.started += n
        elif name.startswith(STEP):
            state = name.removeprefix(STEP)
            d.steps[state] = d.steps.get(state, 0) + n
            if state == "instructions":
                d.guides[region] += n
        elif name.startswith(FOLLOWUP):
            d.followups[name.removeprefix(FOLLOWUP)] += n
        elif name == REPORT:
            d.reports += n
        elif name.startswith(UNKNOWN_PREFIX):
            d.unknown[name.removeprefix(UNKNOWN_PREFIX)] += n
    return sorted(days.values(), key=lambda d: d.day, reverse=True)


def _name(catalog: Catalog | None, code: str) -> str:
    if code == NO_REGION:
        return "(no region yet)"
    region = catalog.regions.get(code) if catalog else None
    return f"{region.name}({code})" if region else code


def stats_context(days: Sequence[DayStats], catalog: Catalog | None, top: int = 10) -> dict[str, Any]:
    """The contexts of ``/stats`` and ``python -m bot stats``: per day, and the period's totals."""
    total_guides: Counter[str] = Counter()
    total_follow: Counter[str] = Counter()
    total_unknown: Counter[str] = Counter()
    for d in days:
        total_guides.update(d.guides)
        total_follow.update(d.followups)
        total_unknown.update(d.unknown)
    return {
        "days": [
            {
                "day": d.day,
                "started": d.started,
                "steps": [(s, d.steps.get(s, 0)) for s in FUNNEL[1:]],  # /start is the first step
                "dropped": d.dropped,
                "guides": sum(d.guides.values()),
                "followups": sum(d.followups.values()),
                "reports": d.reports,
                "unknown": sum(d.unknown.values()),
            }
            for d in days
        ],
        "regions": [(_name(catalog, c), n) for c, n in total_guides.most_common(top)],
        "followups": total_follow.most_common(),
        "unknown": total_unknown.most_common(top),
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_stats(ctx: Mapping[str, Any]) -> str:
    """``python -m bot stats`` as text."""
    lines = ["day         started  " + "  ".join(FUNNEL[1:]) + "  follow-ups  reports  not-understood"]
    for d in ctx["days"]:
        steps = "  ".join(_pad(str(n), len(s)) for s, n in d["steps"])
        lines.append(
            f"{d['day']}  {d['started']:>7}  {steps}  {d['followups']:>10}  {d['reports']:>7}  {d['unknown']:>14}"
        )
    if not ctx["days"]:
        lines.append("(no counts kept yet)")
    lines.append("")
    lines.append("dropped off at (entries minus the next step's), per day:")
    for d in ctx["days"]:
        lines.append(f"  {d['day']}  " + ", ".join(f"{s} {n}" for s, n in d["dropped"]))
    lines.append("")
    lines.append("guides shown by region:")
    lines.extend(f"  {_pad(name, 24)} {n}" for name, n in ctx["regions"])
    lines.append("follow-ups opened:")
    lines.extend(f"  {_pad(name, 24)} {n}" for name, n in ctx["followups"])
    lines.append("typed messages not understood (digits masked):")
    lines.extend(f"  {_pad(text, 34)} {n}" for text, n in ctx["unknown"])
    return "\n".join(lines) + "\n"


# ----- reports --------------------------------------------------------------------------------------
def report_groups(reports: Sequence[Report], catalog: Catalog | None) -> list[dict[str, Any]]:
    """Reports grouped by region, the group with the newest report first, newest first within."""
    groups: dict[str, list[Report]] = defaultdict(list)
    for r in sorted(reports, key=lambda r: (r.created, r.id), reverse=True):
        groups[r.region].append(r)
    return [{"region": _name(catalog, code), "code": code, "reports": rows} for code, rows in groups.items()]


def when(moment: float) -> str:
    """A Unix time as Beijing time, to the minute."""
    return dt.datetime.fromtimestamp(moment, CHINA).strftime("%Y-%m-%d %H:%M")


def format_reports(reports: Sequence[Report], catalog: Catalog | None) -> str:
    """``python -m bot reports`` as text."""
    if not reports:
        return "no reports\n"
    lines = []
    for group in report_groups(reports, catalog):
        lines.append(f"{group['region']}: {len(group['reports'])}")
        for r in group["reports"]:
            state = "open" if r.open else f"closed {when(r.closed or 0)}"
            where = " ".join(
                x for x in (r.identity, r.channel, r.page, f"year {r.year}" if r.year else "") if x
            )
            lines.append(f"  #{r.id} {when(r.created)} [{state}] {where}")
            lines.append(f"      {r.text}")
    return "\n".join(lines) + "\n"
