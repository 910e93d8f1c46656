"""Operator errors at runtime: a page that cannot be built or rendered gets a fallback, not a crash.

Flows and templates are checked when they load, but some mistakes only show for one region or one
branch of a template (a misspelt variable inside ``{% if %}``, a template that divides by zero). Then
the user sees ``messages/fallback.html.j2`` with the hotlines and buttons to go on, the error is logged
with the flow files and the template involved, and the bot keeps running.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from bot.catalog.catalog import Catalog
from bot.catalog.flowstrings import flow_context
from bot.session import Session
from bot.view import Button, Part, View
from bot.wizard import Wizard

log = logging.getLogger(__name__)
NATIONAL_HOTLINE = "12393"


def _code(slots: Mapping[str, str]) -> str | None:
    return slots.get("city") or slots.get("province")


def describe_flow(catalog: Catalog, slots: Mapping[str, str]) -> str:
    """The flow files behind the chosen region (most specific first) and the choices, for logs."""
    files: list[str] = []
    code = _code(slots)
    while code and code in catalog.regions:
        region = catalog.regions[code]
        files.append(region.file or f"(no file for {code})")
        code = region.parent
    files.append(str(Path(catalog.root) / "national.yaml"))
    choices = ", ".join(f"{k}={v}" for k, v in slots.items()) or "nothing chosen"
    return f"flow {' <- '.join(files)} ({choices})"


def report(exc: BaseException, catalog: Catalog, session: Session) -> None:
    """Log a content error with the flow files, the template or flow string involved, and the traceback."""
    notes = "; ".join(getattr(exc, "__notes__", ())) or "no template named"
    log.error(
        "content error at step %s, %s: %s: %s (%s)",
        session.state,
        describe_flow(catalog, session.slots),
        type(exc).__name__,
        exc,
        notes,
        exc_info=exc,
    )


def fallback_part(catalog: Catalog, slots: Mapping[str, str]) -> Part:
    """The fallback text with the national hotline and, when known, the region's own."""
    local = None
    code = _code(slots)
    try:
        if code in catalog.flows:
            hotline = flow_context(catalog, code)["hotline"]  # type: ignore[arg-type]
            local = hotline if hotline != NATIONAL_HOTLINE else None
    except Exception:  # the fallback must not fail on the data that broke the page
        local = None
    return Part("fallback", {"hotline": NATIONAL_HOTLINE, "local": local})


def step_fallback(wizard: Wizard, session: Session) -> View:
    """The view after a failed step: the fallback text over the current step, or with only the
    navigation buttons when the current step cannot be built either."""
    part = fallback_part(wizard.catalog, session.slots)
    try:
        current = wizard.view(session)
    except Exception as exc:  # reported, then the minimal view
        report(exc, wizard.catalog, session)
        labels = wizard.labels
        actions = [Button("restart", "", labels["restart"])]
        if session.state != "identity":
            actions.insert(0, Button("back", "", labels["back"]))
        return View(session.state, (part,), (), tuple(actions), "fallback")
    return View(current.state, (part, *current.parts), current.options, current.actions, "fallback")


def render_fallback(view: View, catalog: Catalog, slots: Mapping[str, str]) -> View:
    """``view`` with its text replaced by the fallback (its buttons kept), for a view that fails to render."""
    return View(view.state, (fallback_part(catalog, slots),), view.options, view.actions, "fallback")
