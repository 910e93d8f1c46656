"""What a user's report of wrong information records about the page it was made from (issue 16).

The report flow itself runs in the wizard (a pending question ``report:<page>``); this module names the
pages a report can come from and finds the coverage year the page showed.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.catalog.catalog import Catalog
from bot.catalog.models import FAQ_TOPICS, IDENTITIES, as_identity
from bot.feedback import CALC, GUIDE, REPORT_MAX, Report
from bot.pages.instructions import region_code

PENDING = "report:"  # prefix of the session's pending question while the wizard waits for a report
CANCEL = "back"  # the ask page's button value: go back to the page without reporting
_YEAR_FIGURES = {"resident": ("amount", "period"), "flexible": ("base_floor", "rate", "tiers", "period")}


def is_page(page: str) -> bool:
    """True for a page a report can be made from: the guide, the calculator, a follow-up answer."""
    return page in (GUIDE, CALC) or (page.startswith("faq-") and page[4:] in FAQ_TOPICS)


def page_event(page: str) -> tuple[str, str]:
    """The wizard action and value that show ``page`` again (``show`` for the guide)."""
    if page == CALC:
        return "calc", ""
    if page.startswith("faq-"):
        return "faq", page[4:]
    return "show", ""


def shown_year(catalog: Catalog, slots: Mapping[str, str]) -> str:
    """The coverage year of the first known figure the page shows for these choices ("" if none)."""
    identity = slots.get("identity", "")
    flow = catalog.flows.get(region_code(dict(slots))) if "province" in slots else None
    if flow is None or identity not in IDENTITIES:
        return ""
    figures = flow.identities[as_identity(identity)].figures
    for name in _YEAR_FIGURES.get(identity, ()):
        fig = getattr(figures, name)
        if fig.known:
            return str(fig.year)
    return ""


def draft(catalog: Catalog, slots: Mapping[str, str], page: str, text: str) -> Report:
    """The report to keep (the adapter stamps the time): where the user was and what they said."""
    return Report(
        region=region_code(dict(slots)) if "province" in slots else "",
        identity=slots.get("identity", ""),
        channel=slots.get("channel", ""),
        page=page,
        year=shown_year(catalog, slots),
        text=text.strip()[:REPORT_MAX],
        created=0.0,
    )
