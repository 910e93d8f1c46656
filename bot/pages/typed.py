"""What a typed message means for the wizard: the slots it fills and the page a question asks for.

Kept apart from ``wizard.py`` so the mapping is data: an intent whose answer is another wizard action
(a follow-up answer or the calculator, both shown over the instructions page) is listed in
:data:`INTENT_EVENTS`; every other intent only fills slots, and the notice says where the guide
answers it.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.catalog.catalog import Catalog
from bot.understand import Understanding

RESIDENT = "resident"  # the identity without a contribution base
# intent -> (wizard action, value). The calculator's value is the money figure typed, if any.
INTENT_EVENTS: Mapping[str, tuple[str, str]] = {
    "materials": ("faq", "materials"),
    "coverage_start": ("faq", "start"),
    "deadline": ("faq", "deadline"),
    "duplicate": ("faq", "duplicate"),
    "legal": ("faq", "law"),
    "amount": ("calc", ""),
}


def found_slots(u: Understanding, catalog: Catalog) -> dict[str, str]:
    """The wizard slots ``u`` fills: identity, province (and city for a city), channel."""
    found: dict[str, str] = {}
    if u.identity:
        found["identity"] = u.identity
    if u.region and u.region in catalog.regions:
        region = catalog.regions[u.region]
        found["province"] = region.parent or region.code
        if region.parent:
            found["city"] = region.code
        elif u.place and catalog.cities_of.get(region.code):
            # A place in the province without its own guide (湘潭): the province's general guide, so the
            # city the user already named is not asked for again.
            found["city"] = region.code
    if u.channel:
        found["channel"] = u.channel
    return found


def question_event(u: Understanding) -> tuple[str, str] | None:
    """The (action, value) that answers the question in ``u``, or None when slots are all it gives."""
    route = INTENT_EVENTS.get(u.intent or "")
    if route is None:
        return None
    action, value = route
    if action == "calc" and u.amount is not None and u.identity != RESIDENT:
        # A resident's figure is a yearly premium (居民医保400), never a contribution base.
        value = format(u.amount.normalize(), "f")
    return action, value
