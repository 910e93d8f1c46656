"""Typed text: a number or a button's label picks; anything else is understood (bot/understand) and fills
the answers it names; a question in it is answered now, or waits in the session until it can be.

A question just typed is answered as soon as a province is known; one that waited for a region is
answered once the region is settled (city included), so its figures are the local ones.
"""

from __future__ import annotations

from dataclasses import replace

from bot.catalog.catalog import Catalog
from bot.catalog.models import OUT_OF_SCOPE, SMALL_TALK
from bot.events import Notice
from bot.pages.answers import answer_parts, pending_question
from bot.pages.followups import is_calc_text
from bot.pages.instructions import FIRST_WORD_FOR
from bot.pages.pointers import pointer_context
from bot.pages.typed import found_slots
from bot.session import Session
from bot.understand import SELF, clean_text, understand
from bot.view import Button, Part, View
from bot.wizard.navigation import Move, Navigation
from bot.wizard.views import Heading, Views

# Notices under which a waiting question may still be answered (others report a problem first).
_ANSWERABLE = (None, Notice.RECOGNISED, Notice.QUESTION)


class TypedText:
    """Routes typed text and answers questions; keeps no per-user state."""

    def __init__(self, catalog: Catalog, views: Views, navigation: Navigation) -> None:
        self.catalog = catalog
        self.views = views
        self.nav = navigation

    def text(self, session: Session, text: str) -> tuple[Session, View]:
        stripped = clean_text(text).strip()
        if session.state == "instructions" and is_calc_text(stripped):
            # The instructions page has no options, so a number there is a contribution base.
            return session, self.views.followup(session, "calc", stripped)
        value = self.views.typed_choice(session.state, session.slots, stripped)
        if value is not None:
            return self.answer_waiting(self.nav.pick(session, value))
        return self._understood(session, stripped)

    def _understood(self, session: Session, text: str) -> tuple[Session, View]:
        """Fill every slot a message names, then answer its question (now, or once a region is known)."""
        u = understand(text, self.catalog)
        if u.command == "back":
            session, heading = self.nav.back(session)
            return session, self.views.view(session, heading)
        if u.command == "restart":
            session = Session("identity", {}, session.version + 1)
        named = found_slots(u, self.catalog)
        rejected = u.rejected
        if u.other_way and u.channel is None and session.slots.get("channel"):
            # 还有别的办法吗 on the instructions page: another way than the channel shown
            rejected = (*rejected, ("channel", session.slots["channel"]))
        session, refused = self.nav.refuse(session, rejected)
        if u.who or u.people:
            # A student or newborn named anywhere (我家孩子是大学生) is the subject the guide speaks to;
            # else the first person other than the user (我和孙子: the grandchild), else the user.
            ranked = sorted(u.who, key=lambda w: (w not in FIRST_WORD_FOR, w == SELF))  # stable: in order
            who = ranked[0] if ranked else session.who
            session = session.with_family(who, u.people or session.people)
        # Only what is new or changed is filled and confirmed ("换成支付宝" on the instructions page).
        found = {k: v for k, v in named.items() if session.slots.get(k) != v}
        if u.intent in SMALL_TALK:
            if not found and u.command is None and not u.who:
                return session, self.views.view(session, Heading(Notice.SMALL_TALK, intent=u.intent))
            u = replace(u, intent=None)  # 你好，我在湖南: small talk around an answer counts as none
        if u.intent in OUT_OF_SCOPE and u.command is None:
            return self._pointer(session, found, u.intent)
        if u.command == "restart" and not found:
            return session, self.views.view(session, Heading(Notice.RESTARTED))
        if not found and u.region_options and "province" not in named:
            options = {"options": ",".join(u.region_options)}
            return session, self.views.view(
                session, Heading(Notice.AMBIGUOUS_PLACE, options, intent=u.intent)
            )
        if not found and u.intent is None:
            if refused:  # 不要微信了: the step of the refused choice, asked again
                return session, self.views.view(session, None)
            notice = Notice.RECOGNISED if named else Notice.NOT_UNDERSTOOD
            return session, self.views.view(session, Heading(notice, recognised=named))
        move: Move = (
            self.nav.fill(session, found, u.intent, u.place)
            if found
            else (session, Heading(Notice.QUESTION, intent=u.intent))
        )
        return self.answer_waiting(move, pending_question(u) or None)

    def _pointer(self, session: Session, found: dict[str, str], intent: str) -> tuple[Session, View]:
        """Where to ask a question the guide does not cover, above the step the user is at (after filling
        what the message named); a copy button for each hotline or app name it gives."""
        heading: Heading | None = None
        if found:
            session, heading = self.nav.fill(session, found)
        context = pointer_context(self.catalog, intent)
        if context is None:
            return session, self.views.view(session, heading or Heading(Notice.NOT_UNDERSTOOD))
        copies = tuple(
            Button("copy", c, self.views.labels["copy"].format(name=c)) for c in context["copy_text"]
        )
        return session, self.views.view(
            session, heading, lead=(Part("pointer", context),), lead_actions=copies
        )

    def answer_waiting(self, move: Move, typed: str | None = None) -> tuple[Session, View]:
        """The view after ``move``, answering the question just ``typed`` or the one waiting in the
        session above the step shown. A question that cannot be answered yet is kept in the session."""
        session, heading = move
        notice = heading.notice if heading is not None else None
        question = typed or session.question
        if not question or notice not in _ANSWERABLE:
            return session, self.views.view(session, heading)
        # Above an answer the notice only confirms what was recognised (its question is being answered).
        shown = heading if notice is Notice.RECOGNISED else None
        action, _, value = question.partition(":")
        if session.state == "instructions":
            session = session.with_question("")
            if action not in ("calc", "faq"):
                return session, self.views.view(session, heading)  # the guide itself answers it (hotlines)
            view = self.views.followup(session, action, value, shown)
            return session, view
        settled = session.state == "channel" or (typed is not None and "province" in session.slots)
        needs_region = action == "calc" and not settled
        parts = (
            None
            if needs_region
            else answer_parts(self.catalog, dict(session.slots), question, self.views.clock.today())
        )
        if parts is None:
            session = session.with_question(question)
            if heading is not None:  # say what the waiting question needs
                heading = Heading(
                    heading.notice, heading.recognised, heading.unavailable, heading.intent, value or "-"
                )
            return session, self.views.view(session, heading)
        return session.with_question(""), self.views.view(session.with_question(""), heading, parts)
