"""Moving through the steps: picks, back, restart, answers filled from typed text or a deep link, and the
repair of a session whose step a catalog reload removed.

Each move returns the new session and the :class:`~bot.wizard.views.Heading` to show above its page
(None for none); the wizard turns that into a view.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.catalog.catalog import Catalog
from bot.catalog.models import CHANNELS, IDENTITIES
from bot.events import Notice
from bot.session import STEPS, Session
from bot.wizard.machine import trigger
from bot.wizard.views import Heading, Views

Move = tuple[Session, Heading | None]


class Navigation:
    """The step logic over one catalog; keeps no per-user state."""

    def __init__(self, catalog: Catalog, views: Views) -> None:
        self.catalog = catalog
        self.views = views

    def restart(self, session: Session) -> Move:
        return Session("identity", {}, session.version + 1), Heading(Notice.RESTARTED)

    def move(self, session: Session, event: str, slots: dict[str, str]) -> Move:
        """Fire ``event`` of the machine (e.g. ``change_channel``) from the session's state."""
        state = trigger(self.catalog, session.state, slots, event)
        if state is None:
            return session, Heading(Notice.CANNOT_GO)
        return session.evolve(state, slots), None

    def back(self, session: Session) -> Move:
        slots = dict(session.slots)
        state: str | None = session.state
        while True:
            state = trigger(self.catalog, state, slots, "back") if state else None
            if state is None:
                return session, Heading(Notice.CANNOT_GO)
            # Steps that were skipped because they had a single choice are skipped going back too.
            if state == "identity" or len(self.views.values(state, slots)) != 1:
                break
        return session.evolve(state, slots), None

    def pick(self, session: Session, value: str) -> Move:
        state = session.state
        if value not in self.views.values(state, session.slots):
            return session, Heading(Notice.INVALID_CHOICE)
        slots = dict(session.slots)
        had = slots.get(state)
        if state == "identity" and had is not None and had != value:
            # A different identity keeps the region, and the channel when the region offers it to the
            # new identity: the user continues at the first step still open (often the guide itself).
            slots[state] = value
            new_state, used = self._replay(slots)
            return session.evolve(new_state, used), None
        if had is not None and had != value:  # a changed answer invalidates the later ones
            for later in STEPS[STEPS.index(state) + 1 :]:
                slots.pop(later, None)
        slots[state] = value
        nxt = self._forward(state, slots)
        assert nxt is not None, f"no pick transition from {state}"
        # A first answer here uses later answers typed ahead ("长沙 微信" before choosing who you are).
        return session.evolve(self._advance(nxt, slots, stop_at_known=had is None), slots), None

    def fill(
        self, session: Session, found: Mapping[str, str], intent: str | None = None, place: str = ""
    ) -> Move:
        """Take the answers ``found`` in typed text or a deep link; continue at the first step still open.
        ``place`` is a place named below the region whose guide applies (湘潭市), said in the notice."""
        found = self._plausible(found)
        slots = dict(session.slots)
        if "province" in found and found["province"] != slots.get("province"):
            slots.pop("city", None)
        slots.update(found)
        state, used = self._replay(slots)
        # Answers for steps after the one now asked are kept for when the user gets there.
        at = STEPS.index(state) if state in STEPS else len(STEPS)
        new = session.evolve(state, {**used, **{k: v for k, v in slots.items() if STEPS.index(k) > at}})
        unavailable = {k: v for k, v in found.items() if k not in new.slots}  # e.g. a channel not offered
        recognised = {**found, "place": place} if place and "province" in found else dict(found)
        return new, Heading(Notice.RECOGNISED, recognised, unavailable, intent)

    def refuse(self, session: Session, rejected: tuple[tuple[str, str], ...]) -> tuple[Session, bool]:
        """Drop the choices a message refuses (不要微信了, 不在长沙了) and move back to the first step left
        open; True when something was dropped."""
        slots = dict(session.slots)
        for slot, value in rejected:
            if slot in ("identity", "channel") and slots.get(slot) == value:
                slots.pop(slot)
            elif slot == "region" and value in (slots.get("province"), slots.get("city")):
                slots.pop("province", None)
                slots.pop("city", None)
        if slots == dict(session.slots):
            return session, False
        state, used = self._replay(slots)
        return session.evolve(state, used), True

    def repair(self, session: Session) -> tuple[Session, bool]:
        """After a catalog reload, move a session whose region or channel vanished to the nearest valid step."""
        upto = STEPS.index(session.state) if session.state in STEPS else len(STEPS)
        answered = {k: v for k, v in session.slots.items() if STEPS.index(k) < upto}
        state, slots = self._replay(answered)
        if state == session.state and slots == answered:
            return session, False
        return session.evolve(state, slots), True

    # ----- helpers -------------------------------------------------------------------------------
    def _advance(self, state: str, slots: dict[str, str], stop_at_known: bool) -> str:
        """Move forward from ``state`` while the step has one choice (or, when replaying, a known one)."""
        while state != "instructions":
            opts = self.views.values(state, slots)
            if len(opts) == 1:
                slots[state] = opts[0]
            elif not (stop_at_known and slots.get(state) in opts):
                break
            nxt = self._forward(state, slots)
            if nxt is None:
                break
            # A step jumped over (a province without cities) keeps no answer: after a reload that
            # removed a province's last city file, the city chosen before must not linger.
            end = STEPS.index(nxt) if nxt in STEPS else len(STEPS)
            for skipped in STEPS[STEPS.index(state) + 1 : end]:
                slots.pop(skipped, None)
            state = nxt
        return state

    def _forward(self, state: str, slots: dict[str, str]) -> str | None:
        """The step after ``state``. Leaving the province for the channel (no cities) drops any city,
        which can only be left over from a deep link or a reload that removed the city."""
        nxt = trigger(self.catalog, state, slots, "pick")
        if state == "province" and nxt == "channel":
            slots.pop("city", None)
        return nxt

    def _replay(self, slots: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        """Walk from the first step using known ``slots``; stop at the first step still to answer."""
        kept = {k: v for k, v in slots.items() if k in STEPS}
        state = self._advance("identity", kept, stop_at_known=True)
        # Keep only slots actually used on the way (an unknown value is dropped, not carried along).
        upto = STEPS.index(state) if state in STEPS else len(STEPS)
        return state, {k: v for k, v in kept.items() if STEPS.index(k) < upto}

    def _plausible(self, found: Mapping[str, str]) -> dict[str, str]:
        """The answers in ``found`` that name a known step with a value of the right kind (a deep link or
        a typed question may carry anything; nothing else is kept, even for later steps)."""
        regions = self.catalog.regions
        ok = {
            "identity": lambda v: v in IDENTITIES,
            "province": lambda v: v in regions and regions[v].parent is None,
            "city": lambda v: v in regions,
            "channel": lambda v: v in CHANNELS,
        }
        return {k: v for k, v in found.items() if k in ok and ok[k](v)}
