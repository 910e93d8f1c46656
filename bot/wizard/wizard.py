"""The wizard: a pure function from (session, event) to (new session, view). No I/O, no Telegram.

``step`` dispatches; :mod:`~bot.wizard.navigation` moves between steps, :mod:`~bot.wizard.typed` routes
typed text and answers questions, :mod:`~bot.wizard.views` builds what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.catalog.catalog import Catalog
from bot.clock import SYSTEM_CLOCK, Clock
from bot.events import Event, Notice
from bot.session import Session
from bot.understand import lexicon_for
from bot.view import Button, Part, View
from bot.wizard.navigation import Navigation
from bot.wizard.reports import Reports, pending
from bot.wizard.typed import TypedText
from bot.wizard.views import Heading, Views


class Wizard:
    """Decides what happens next. Holds the catalog, the button labels and the clock; no per-user state.

    The clock is read once per page built and the date is passed to the page getters, which stay pure."""

    def __init__(self, catalog: Catalog, labels: Mapping[str, str], clock: Clock = SYSTEM_CLOCK) -> None:
        self.catalog = catalog
        self.labels = labels
        self.clock = clock
        self.views = Views(catalog, labels, clock)
        self.nav = Navigation(catalog, self.views)
        self.typed = TypedText(catalog, self.views, self.nav)
        self.reports = Reports(catalog, self.views, self.step)
        lexicon_for(catalog)  # build the typed-text index now, not on the first message

    def step(self, session: Session, event: Event) -> tuple[Session, View]:
        """Apply ``event`` to ``session``; return the new session and what to show."""
        session, repaired = self.nav.repair(session)
        action, nav = event.action, self.nav
        if repaired and action != "restart":
            # The step the user acted on no longer exists: say so and show the nearest valid one, and
            # do not apply the event (it was meant for the old step; a button's version is stale too).
            return session, self.view(session, Heading(Notice.CATALOG_CHANGED))
        if event.version is not None and event.version != session.version:
            return session, self.view(session, Heading(Notice.STALE))
        if action == "report":
            return self.reports.ask(session, event.value)
        if pending(session):  # a report of wrong information is awaited (bot/wizard/reports.py)
            if action == "text":
                return self.reports.take(session, event.value)
            if action in ("show", "start"):
                return session, self.reports.again(session)
            session = session.with_question("")  # the user moved on without reporting
        if action in ("show", "start"):
            return session, self.view(session)
        if action == "restart":
            return self._show(*nav.restart(session))
        if action == "back":
            return self._show(*nav.back(session))
        if action == "channel" and session.state == "instructions":
            return self._show(*nav.move(session, "change_channel", dict(session.slots)))
        if action == "pick":
            return self.typed.answer_waiting(nav.pick(session, event.value))
        if action == "fill":
            return self.typed.answer_waiting(nav.fill(session, event.slots))
        if action == "text":
            return self.typed.text(session, event.value)
        if action in ("calc", "faq", "more"):
            return session, self.views.followup(session, action, event.value)
        return session, self.view(session, Heading(Notice.UNKNOWN_ACTION))

    def _show(self, session: Session, heading: Heading | None) -> tuple[Session, View]:
        return session, self.view(session, heading)

    # ----- what adapters and tools ask for --------------------------------------------------------
    def view(self, session: Session, heading: Heading | None = None) -> View:
        """What to show for ``session``, under an optional notice."""
        return self.views.view(session, heading)

    def options(self, state: str, slots: Mapping[str, str]) -> list[Button]:
        """The choices at ``state`` given earlier choices (empty at the instructions page)."""
        return self.views.options(state, slots)

    def notice_part(self, notice: Notice, state: str, recognised: Mapping[str, str] | None = None) -> Part:
        """The notice shown above a page (the linter measures the longest)."""
        return self.views.notice_part(notice, state, recognised)
