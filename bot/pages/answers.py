"""Answers to questions typed before the instructions page (pure; the wizard shows them above the step).

A common question is answered at once: for the chosen region when one is known, else with the national
answer; for the chosen identity, else for both. The calculator needs a region: until one is known the
question waits in the session (see :data:`bot.session.Session.question`).
"""

from __future__ import annotations

import datetime as dt

from bot.catalog.catalog import Catalog
from bot.pages.followups import calc_context, faq_context, hotline_context
from bot.pages.typed import question_event
from bot.understand import Understanding
from bot.view import Part

IDENTITIES: tuple[str, ...] = ("flexible", "resident")


def pending_question(u: Understanding) -> str:
    """The question ``u`` asks, as a short code kept in the session ("calc:5000", "faq:start", "hotline")."""
    if u.intent == "hotline":
        return "hotline"
    event = question_event(u)
    return ":".join(event) if event else ""


def _identities(slots: dict[str, str]) -> tuple[str, ...]:
    return (slots["identity"],) if slots.get("identity") in IDENTITIES else IDENTITIES


def answer_parts(
    catalog: Catalog, slots: dict[str, str], question: str, today: dt.date
) -> tuple[Part, ...] | None:
    """The pages answering ``question`` for ``slots`` on ``today``; None when it needs a region."""
    action, _, value = question.partition(":")
    if action in ("faq", "calc") and slots.get("identity") not in IDENTITIES:
        return None  # the identity is asked first (one tap), then the question is answered for it
    if action == "hotline":
        return (Part("hotlines", hotline_context(catalog, slots)),)
    if action == "faq":
        return tuple(
            Part("faq", faq_context(catalog, {**slots, "identity": i}, value, today))
            for i in _identities(slots)
        )
    if action == "calc":
        if "province" not in slots:
            return None
        return tuple(
            Part("calc", calc_context(catalog, {**slots, "identity": i}, today, value, on_instructions=False))
            for i in _identities(slots)
        )
    return None
