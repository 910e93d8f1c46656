"""The wizard: a pure function from (session, event) to (new session, view). No I/O, no Telegram.

States and transitions are declared as data and run by one shared ``transitions.Machine``; sessions are
plain data, so nothing per user stays in memory between updates. Conditions are named in the machine
definition and looked up in :data:`CONDITIONS`, never imported from dotted paths.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypedDict

from transitions import EventData, Machine, MachineError

from bot.answers import answer_parts, pending_question
from bot.catalog.catalog import Catalog
from bot.catalog.models import CHANNELS, FAQ_TOPICS, IDENTITIES
from bot.clock import SYSTEM_CLOCK, Clock
from bot.followups import calc_context, faq_context, is_calc_text
from bot.pages import instructions_context, region_code
from bot.session import STATES, STEPS, Session
from bot.typed import found_slots
from bot.understand import clean_text, lexicon_for, understand
from bot.view import Button, Part, View


class TransitionConfig(TypedDict, total=False):
    """One transition as data (the shape ``transitions`` accepts)."""

    trigger: str
    source: str | list[str]
    dest: str
    conditions: list[str]


MACHINE_TRANSITIONS: list[TransitionConfig] = [
    {"trigger": "pick", "source": "identity", "dest": "province"},
    {"trigger": "pick", "source": "province", "dest": "city", "conditions": ["has_cities"]},
    {"trigger": "pick", "source": "province", "dest": "channel"},
    {"trigger": "pick", "source": "city", "dest": "channel"},
    {"trigger": "pick", "source": "channel", "dest": "instructions"},
    {"trigger": "back", "source": "province", "dest": "identity"},
    {"trigger": "back", "source": "city", "dest": "province"},
    {"trigger": "back", "source": "channel", "dest": "city", "conditions": ["has_cities"]},
    {"trigger": "back", "source": "channel", "dest": "province"},
    {"trigger": "back", "source": "instructions", "dest": "channel"},
    {"trigger": "change_channel", "source": "instructions", "dest": "channel"},
    {"trigger": "restart", "source": "*", "dest": "identity"},
]


class _Model:
    """The object ``transitions`` moves between states for one step; discarded afterwards."""

    __slots__ = ("catalog", "slots", "state")

    def __init__(self, state: str, slots: dict[str, str], catalog: Catalog) -> None:
        self.state, self.slots, self.catalog = state, slots, catalog


def _has_cities(event: EventData) -> bool:
    model: _Model = event.model
    return bool(model.catalog.cities_of.get(model.slots.get("province", "")))


CONDITIONS: Mapping[str, Callable[[EventData], bool]] = {"has_cities": _has_cities}


def build_machine(transitions: list[TransitionConfig]) -> Machine:
    """Build the shared machine, resolving condition names only from :data:`CONDITIONS`."""
    resolved: list[dict[str, Any]] = []
    for t in transitions:
        names = t.get("conditions", [])
        unknown = [n for n in names if n not in CONDITIONS]
        if unknown:
            raise ValueError(f"unknown condition(s) {unknown}; known: {sorted(CONDITIONS)}")
        resolved.append({**t, "conditions": [CONDITIONS[n] for n in names]})
    return Machine(
        model=None,
        states=list(STATES),
        transitions=resolved,
        initial="identity",
        auto_transitions=False,
        send_event=True,
    )


MACHINE = build_machine(MACHINE_TRANSITIONS)


# Every notice the wizard may put above a page (messages/notice.html.j2 words each one).
NOTICES: tuple[str, ...] = (
    "stale",
    "restarted",
    "recognised",
    "not_understood",
    "invalid_choice",
    "cannot_go",
    "catalog_changed",
    "unknown_action",
    "followup_needs_instructions",
    "question",
    "continue",
)


@dataclass(frozen=True)
class Event:
    """Something the user did: ``action`` is start/show/pick/back/restart/channel/text/fill/calc/faq."""

    action: str
    value: str = ""
    version: int | None = None
    slots: Mapping[str, str] = field(default_factory=dict)


class Wizard:
    """Decides what happens next. Holds the catalog, the button labels and the clock; no per-user state.

    The clock is read once per page built and the date is passed down, so page getters stay pure."""

    def __init__(self, catalog: Catalog, labels: Mapping[str, str], clock: Clock = SYSTEM_CLOCK) -> None:
        self.catalog = catalog
        self.labels = labels
        self.clock = clock
        lexicon_for(catalog)  # build the typed-text index now, not on the first message

    # ----- choices -------------------------------------------------------------------------------
    def options(self, state: str, slots: Mapping[str, str]) -> list[Button]:
        """The choices at ``state`` given earlier choices (empty at the instructions page)."""
        cat, chosen = self.catalog, slots.get(state)
        if state == "identity":
            idents = cat.national.identities
            return [Button("pick", i, idents[i].label, i == chosen) for i in ("flexible", "resident")]
        if state == "province":
            return [Button("pick", r.code, r.name, r.code == chosen) for r in cat.provinces]
        if state == "city":
            prov = slots.get("province", "")
            cities = cat.cities_of.get(prov, ())
            if not cities:
                return []
            other = Button("pick", prov, self.labels["city_other"], chosen == prov)
            return [*(Button("pick", c.code, c.name, c.code == chosen) for c in cities), other]
        if state == "channel":
            if "identity" not in slots or "province" not in slots:
                return []
            labels = cat.national.channel_labels
            return [
                Button("pick", c, f"{labels[c].icon} {labels[c].label}".strip(), c == chosen)
                for c in cat.channels(slots["identity"], region_code(dict(slots)))
            ]
        return []

    # ----- the step function ---------------------------------------------------------------------
    def step(self, session: Session, event: Event) -> tuple[Session, View]:
        """Apply ``event`` to ``session``; return the new session and what to show."""
        session, repaired = self._repair(session)
        action = event.action
        if repaired and action != "restart":
            # The step the user acted on no longer exists: say so and show the nearest valid one, and
            # do not apply the event (it was meant for the old step; a button's version is stale too).
            return session, self.view(session, "catalog_changed")
        if event.version is not None and event.version != session.version:
            return session, self.view(session, "stale")
        if action in ("show", "start"):
            return session, self.view(session)
        if action == "restart":
            return self._restart(session)
        if action == "back":
            return self._back(session)
        if action == "channel" and session.state == "instructions":
            return self._move(session, "change_channel", dict(session.slots))
        if action == "pick":
            return self._answer_waiting(*self._pick(session, event.value))
        if action == "fill":
            return self._answer_waiting(*self._fill(session, event.slots, notice="recognised"))
        if action == "text":
            return self._text(session, event.value)
        if action in ("calc", "faq"):
            return session, self._followup(session, action, event.value)
        return session, self.view(session, "unknown_action")

    def _restart(self, session: Session) -> tuple[Session, View]:
        new = Session("identity", {}, session.version + 1)
        return new, self.view(new, "restarted")

    def _trigger(self, state: str, slots: dict[str, str], trigger: str) -> str | None:
        model = _Model(state, slots, self.catalog)
        try:
            MACHINE.events[trigger].trigger(model)
        except MachineError:
            return None
        return model.state

    def _move(self, session: Session, trigger: str, slots: dict[str, str]) -> tuple[Session, View]:
        state = self._trigger(session.state, slots, trigger)
        if state is None:
            return session, self.view(session, "cannot_go")
        new = session.evolve(state, slots)
        return new, self.view(new)

    def _back(self, session: Session) -> tuple[Session, View]:
        slots = dict(session.slots)
        state: str | None = session.state
        while True:
            state = self._trigger(state, slots, "back") if state else None
            if state is None:
                return session, self.view(session, "cannot_go")
            # Steps that were skipped because they had a single choice are skipped going back too.
            if state == "identity" or len(self.options(state, slots)) != 1:
                break
        new = session.evolve(state, slots)
        return new, self.view(new)

    def _advance(self, state: str, slots: dict[str, str], stop_at_known: bool) -> str:
        """Move forward from ``state`` while the step has one choice (or, when replaying, a known one)."""
        while state != "instructions":
            opts = [b.value for b in self.options(state, slots)]
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
        nxt = self._trigger(state, slots, "pick")
        if state == "province" and nxt == "channel":
            slots.pop("city", None)
        return nxt

    def _pick(self, session: Session, value: str) -> tuple[Session, View]:
        state = session.state
        if value not in {b.value for b in self.options(state, session.slots)}:
            return session, self.view(session, "invalid_choice")
        slots = dict(session.slots)
        had = slots.get(state)
        if had is not None and had != value:  # a changed answer invalidates the later ones
            for later in STEPS[STEPS.index(state) + 1 :]:
                slots.pop(later, None)
        slots[state] = value
        nxt = self._forward(state, slots)
        assert nxt is not None, f"no pick transition from {state}"
        # A first answer here uses later answers typed ahead ("长沙 微信" before choosing who you are).
        new = session.evolve(self._advance(nxt, slots, stop_at_known=had is None), slots)
        return new, self.view(new)

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

    def _fill(
        self, session: Session, found: Mapping[str, str], notice: str, intent: str | None = None
    ) -> tuple[Session, View]:
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
        view = self.view(new, notice, recognised=dict(found), intent=intent, unavailable=unavailable)
        return new, view

    def _text(self, session: Session, text: str) -> tuple[Session, View]:
        stripped = clean_text(text).strip()
        if session.state == "instructions" and is_calc_text(stripped):
            # The instructions page has no options, so a number there is a contribution base.
            return session, self._followup(session, "calc", stripped)
        opts = self.options(session.state, session.slots)
        if stripped.isascii() and stripped.isdigit() and opts:
            n = int(stripped)
            if 1 <= n <= len(opts):
                return self._answer_waiting(*self._pick(session, opts[n - 1].value))
        for b in opts:
            if stripped == b.text or stripped == b.text.split(" ")[-1]:
                return self._answer_waiting(*self._pick(session, b.value))
        return self._understood(session, stripped)

    # ----- typed questions (bot/understand, bot/typed, bot/answers) -----------------------------
    def _understood(self, session: Session, text: str) -> tuple[Session, View]:
        """Fill every slot a message names, then answer its question (now, or once a region is known)."""
        u = understand(text, self.catalog)
        if u.command == "back":
            return self._back(session)
        if u.command == "restart":
            session = Session("identity", {}, session.version + 1)
        named = found_slots(u, self.catalog)
        # Only what is new or changed is filled and confirmed ("换成支付宝" on the instructions page).
        found = {k: v for k, v in named.items() if session.slots.get(k) != v}
        if u.command == "restart" and not found:
            return session, self.view(session, "restarted")
        if not found and u.intent is None:
            return session, self.view(session, "recognised" if named else "not_understood", recognised=named)
        if found:
            session, view = self._fill(session, found, notice="recognised", intent=u.intent)
        else:
            view = self.view(session, "question", intent=u.intent)
        question = pending_question(u)
        return self._answer_waiting(session, view, question or None)

    def _answer_waiting(self, session: Session, view: View, typed: str | None = None) -> tuple[Session, View]:
        """Answer the question just ``typed``, or the one waiting in ``session``, above the step shown.

        A question just typed is answered as soon as a province is known; one that waited for a region
        is answered once the region is settled (city included), so its figures are the local ones. A
        question that cannot be answered yet is kept in the session."""
        fresh = typed is not None
        q = typed or session.question
        if not q or view.notice not in (None, "recognised", "question"):
            return session, view
        notice = view.parts[0] if view.notice else None
        recognised = notice is not None and view.notice == "recognised"
        head = (replace(notice, context={**notice.context, "intent": ""}),) if recognised else ()
        if session.state == "instructions":
            session = session.with_question("")
            action, _, value = q.partition(":")
            if action not in ("calc", "faq"):
                return session, view  # the guide itself answers it (e.g. its hotlines)
            session, answer = self.step(session, Event(action, value))
            return session, replace(answer, parts=(*head, *answer.parts))
        settled = session.state == "channel" or (fresh and "province" in session.slots)
        needs_region = q.startswith("calc:") and not settled
        parts = None if needs_region else answer_parts(self.catalog, dict(session.slots), q, self.clock.today())
        if parts is None:
            session = session.with_question(q)
            if notice is not None:  # say what the waiting question needs
                note = {**notice.context, "waiting": q.partition(":")[2] or "-"}
                view = replace(view, parts=(replace(notice, context=note), *view.parts[1:]))
            return session, view
        session = session.with_question("")
        body = view.parts[1:] if notice else view.parts
        cont = self.notice_part("continue", session.state)
        return session, replace(view, parts=(*head, *parts, cont, *body), notice=view.notice or "answered")

    def _repair(self, session: Session) -> tuple[Session, bool]:
        """After a catalog reload, move a session whose region or channel vanished to the nearest valid step."""
        upto = STEPS.index(session.state) if session.state in STEPS else len(STEPS)
        answered = {k: v for k, v in session.slots.items() if STEPS.index(k) < upto}
        state, slots = self._replay(answered)
        if state == session.state and slots == answered:
            return session, False
        return session.evolve(state, slots), True

    # ----- views ---------------------------------------------------------------------------------
    def _progress(self, session: Session) -> tuple[int, int]:
        slots = session.slots
        path = [s for s in STEPS if s != "city" or self.options("city", slots)]
        path = [s for s in path if s in ("identity", "province") or len(self.options(s, slots)) != 1]
        if session.state not in path:
            return len(path), len(path)
        return path.index(session.state) + 1, len(path)

    def _choices(self, slots: Mapping[str, str]) -> list[str]:
        cat, out = self.catalog, []
        # Values come from the user (deep links, typed text): unknown ones are left out, never looked up.
        if slots.get("identity") in cat.national.identities:
            out.append(cat.national.identities[slots["identity"]].label)
        if "province" in slots and slots["province"] in cat.regions:
            place = cat.regions[slots["province"]].name
            city = slots.get("city")
            if city and city != slots["province"] and city in cat.regions:
                place += cat.regions[city].name
            out.append(place)
        if slots.get("channel") in cat.national.channel_labels:
            out.append(cat.national.channel_labels[slots["channel"]].label)  # type: ignore[index]
        return out

    def notice_part(
        self,
        notice: str,
        state: str,
        recognised: Mapping[str, str] | None = None,
        intent: str | None = None,
        unavailable: Mapping[str, str] | None = None,
    ) -> Part:
        """The notice shown above a page (one of :data:`NOTICES`), with what the user typed, if anything."""
        context = {
            "notice": notice,
            "recognised": self._choices(recognised or {}),
            "unavailable": self._choices(unavailable or {}),
            "intent": intent or "",
            "state": state,
        }
        return Part("notice", context)

    def view(
        self,
        session: Session,
        notice: str | None = None,
        recognised: Mapping[str, str] | None = None,
        intent: str | None = None,
        unavailable: Mapping[str, str] | None = None,
    ) -> View:
        """What to show for ``session``, with an optional notice on top (and what was typed, if any)."""
        state, slots = session.state, dict(session.slots)
        parts: list[Part] = []
        if notice:
            parts.append(self.notice_part(notice, state, recognised, intent, unavailable))
        step, total = self._progress(session)
        header = {"state": state, "step": step, "total": total, "choices": self._choices(slots)}
        parts.append(Part("header", header))
        actions: list[Button] = []
        if state == "instructions":
            parts.append(Part("instructions", instructions_context(self.catalog, slots, self.clock.today())))
            actions.extend(self._followup_buttons())
            actions.append(Button("channel", "", self.labels["other_channel"]))
        else:
            parts.append(Part(state, self._step_context(state, slots)))
        if state != "identity":
            actions.append(Button("back", "", self.labels["back"]))
            actions.append(Button("restart", "", self.labels["restart"]))
        return View(state, tuple(parts), tuple(self.options(state, slots)), tuple(actions), notice)

    def _followup_buttons(self, current: tuple[str, str] | None = None) -> list[Button]:
        """The calculator and follow-up question buttons, leaving out the page being shown."""
        pairs = [("calc", ""), *(("faq", t) for t in FAQ_TOPICS)]
        return [
            Button(action, value, self.labels[f"{action}_{value}" if value else action])
            for action, value in pairs
            if (action, value) != current
        ]

    def _followup(self, session: Session, action: str, value: str) -> View:
        """A follow-up page (calculator or answer) over the instructions; the session does not change."""
        if session.state != "instructions":
            return self.view(session, "followup_needs_instructions")
        slots = dict(session.slots)
        if action == "faq" and value not in FAQ_TOPICS:
            return self.view(session, "unknown_action")
        if action == "calc":
            part = Part("calc", calc_context(self.catalog, slots, self.clock.today(), value.strip()[:40]))
            current = ("calc", "")
        else:
            part = Part("faq", faq_context(self.catalog, slots, value, self.clock.today()))
            current = ("faq", value)
        step, total = self._progress(session)
        header = {"state": "instructions", "step": step, "total": total, "choices": self._choices(slots)}
        actions = [
            Button("show", "", self.labels["to_instructions"]),
            *self._followup_buttons(current),
            Button("restart", "", self.labels["restart"]),
        ]
        return View("instructions", (Part("header", header), part), (), tuple(actions), None)

    def _step_context(self, state: str, slots: dict[str, str]) -> dict[str, Any]:
        cat = self.catalog
        if state == "identity":
            return {
                "identities": [
                    {"label": i.label, "summary": i.summary} for i in cat.national.identities.values()
                ]
            }
        if state == "city":
            return {"province": cat.regions[slots["province"]].name}
        if state == "channel":
            code = region_code(slots)
            titles = []
            for c in cat.channels(slots["identity"], code):
                ch = cat.channel(slots["identity"], code, c)
                titles.append(
                    {"label": cat.national.channel_labels[c].label, "title": ch.title if ch else ""}
                )  # type: ignore[index]
            return {"region": cat.regions[code].name, "channels": titles}
        return {}
