"""Reports of wrong information ("信息有误？", issue 16): asked for from an answer page, typed in one
message, kept by the front end (``View.report``); the user is thanked and back on that page.

While the wizard waits for the report, the session's pending question is ``report:<page>``. Showing the
step again (after the privacy guard refused a message, or /start) asks again; any other button drops
the question; the ask page's own button goes back without reporting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.catalog.catalog import Catalog
from bot.events import Event, Notice
from bot.pages import reporting
from bot.privacy import find_personal_data
from bot.session import Session
from bot.understand import clean_text
from bot.view import View
from bot.wizard.views import Heading, Views

Step = Callable[[Session, Event], tuple[Session, View]]


def pending(session: Session) -> bool:
    """True while the wizard waits for a report."""
    return session.question.startswith(reporting.PENDING)


class Reports:
    """The report flow; keeps no per-user state. ``step`` is the wizard's, to show a page again."""

    def __init__(self, catalog: Catalog, views: Views, step: Step) -> None:
        self.catalog = catalog
        self.views = views
        self.step = step

    def ask(self, session: Session, page: str) -> tuple[Session, View]:
        """Ask what is wrong on ``page`` (or, for the cancel button, go back to the page)."""
        if page == reporting.CANCEL and pending(session):
            back = session.question.removeprefix(reporting.PENDING)
            return self.step(session.with_question(""), Event(*reporting.page_event(back)))
        if session.state != "instructions":
            return session, self.views.view(session, Heading(Notice.FOLLOWUP_NEEDS_INSTRUCTIONS))
        if not reporting.is_page(page):
            return session, self.views.view(session, Heading(Notice.UNKNOWN_ACTION))
        session = session.with_question(reporting.PENDING + page)
        return session, self.views.report_ask(session)

    def again(self, session: Session) -> View:
        """The ask page once more (the step shown again while a report waits)."""
        return self.views.report_ask(session)

    def take(self, session: Session, typed: str) -> tuple[Session, View]:
        """Keep the typed report (never one holding personal data), thank the user, show their page."""
        text = clean_text(typed).strip()
        if not text or find_personal_data(text):
            return session, self.views.report_ask(session, Notice.REPORT_PERSONAL if text else None)
        page = session.question.removeprefix(reporting.PENDING)
        report = reporting.draft(self.catalog, session.slots, page, text)
        session, view = self.step(session.with_question(""), Event(*reporting.page_event(page)))
        thanks = self.views.notice_part(Notice.REPORTED, session.state)
        return session, replace(view, parts=(thanks, *view.parts), notice=Notice.REPORTED, report=report)
