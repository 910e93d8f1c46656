"""The wizard: a pure function from (session, event) to (new session, view). No I/O, no Telegram.

States and transitions are declared as data and run by one shared ``transitions.Machine``; sessions are
plain data, so nothing per user stays in memory between updates. Conditions are named in the machine
definition and looked up in :data:`CONDITIONS`, never imported from dotted paths.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from transitions import EventData, Machine, MachineError

from bot.catalog.catalog import Catalog
from bot.catalog.models import FAQ_TOPICS
from bot.followups import calc_context, faq_context, is_calc_text
from bot.pages import instructions_context, region_code
from bot.session import STATES, STEPS, Session
from bot.understand import clean_text, understand
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


@dataclass(frozen=True)
class Event:
    """Something the user did: ``action`` is start/show/pick/back/restart/channel/text/fill/calc/faq."""

    action: str
    value: str = ""
    version: int | None = None
    slots: Mapping[str, str] = field(default_factory=dict)


class Wizard:
    """Decides what happens next. Holds the catalog and the button labels; keeps no per-user state."""

    def __init__(self, catalog: Catalog, labels: Mapping[str, str]) -> None:
        self.catalog = catalog
        self.labels = labels

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
        if event.version is not None and event.version != session.version:
            return session, self.view(session, "stale")
        notice = "catalog_changed" if repaired else None
        action = event.action
        if action in ("show", "start"):
            return session, self.view(session, notice)
        if action == "restart":
            return self._restart(session)
        if action == "back":
            return self._back(session)
        if action == "channel" and session.state == "instructions":
            return self._move(session, "change_channel", dict(session.slots))
        if action == "pick":
            return self._pick(session, event.value)
        if action == "fill":
            return self._fill(session, event.slots, notice="recognised")
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
        if slots.get(state) != value:
            for later in STEPS[STEPS.index(state) + 1 :]:
                slots.pop(later, None)
        slots[state] = value
        nxt = self._forward(state, slots)
        assert nxt is not None, f"no pick transition from {state}"
        new = session.evolve(self._advance(nxt, slots, stop_at_known=False), slots)
        return new, self.view(new)

    def _replay(self, slots: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        """Walk from the first step using known ``slots``; stop at the first step still to answer."""
        kept = {k: v for k, v in slots.items() if k in STEPS}
        state = self._advance("identity", kept, stop_at_known=True)
        # Keep only slots actually used on the way (an unknown value is dropped, not carried along).
        upto = STEPS.index(state) if state in STEPS else len(STEPS)
        return state, {k: v for k, v in kept.items() if STEPS.index(k) < upto}

    def _fill(self, session: Session, found: Mapping[str, str], notice: str) -> tuple[Session, View]:
        before = STEPS.index(session.state) if session.state in STEPS else len(STEPS)
        slots = {k: v for k, v in session.slots.items() if STEPS.index(k) < before}
        if "province" in found and found["province"] != slots.get("province"):
            slots.pop("city", None)
        slots.update(found)
        state, slots = self._replay(slots)
        new = session.evolve(state, slots)
        return new, self.view(new, notice, recognised=dict(found))

    def _text(self, session: Session, text: str) -> tuple[Session, View]:
        stripped = clean_text(text).strip()
        if session.state == "instructions" and is_calc_text(stripped):
            # The instructions page has no options, so a number there is a contribution base.
            return session, self._followup(session, "calc", stripped)
        opts = self.options(session.state, session.slots)
        if stripped.isascii() and stripped.isdigit() and opts:
            n = int(stripped)
            if 1 <= n <= len(opts):
                return self._pick(session, opts[n - 1].value)
        for b in opts:
            if stripped == b.text or stripped == b.text.split(" ")[-1]:
                return self._pick(session, b.value)
        u = understand(stripped, self.catalog)
        if u.command == "restart":
            return self._restart(session)
        if u.command == "back":
            return self._back(session)
        found: dict[str, str] = {}
        if u.identity:
            found["identity"] = u.identity
        if u.region:
            region = self.catalog.regions[u.region]
            found["province"] = region.parent or region.code
            if region.parent:
                found["city"] = region.code
        if u.channel:
            found["channel"] = u.channel
        if not found:
            return session, self.view(session, "not_understood")
        return self._fill(session, found, notice="recognised")

    def _repair(self, session: Session) -> tuple[Session, bool]:
        """After a catalog reload, move a session whose region or channel vanished to the nearest valid step."""
        upto = STEPS.index(session.state) if session.state in STEPS else len(STEPS)
        earlier = {k: v for k, v in session.slots.items() if STEPS.index(k) < upto}
        state, slots = self._replay(earlier)
        if state == session.state and slots == earlier:
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

    def view(
        self, session: Session, notice: str | None = None, recognised: Mapping[str, str] | None = None
    ) -> View:
        """What to show for ``session``, with an optional notice on top."""
        state, slots = session.state, dict(session.slots)
        parts: list[Part] = []
        if notice:
            parts.append(Part("notice", {"notice": notice, "recognised": self._choices(recognised or {})}))
        step, total = self._progress(session)
        header = {"state": state, "step": step, "total": total, "choices": self._choices(slots)}
        parts.append(Part("header", header))
        actions: list[Button] = []
        if state == "instructions":
            parts.append(Part("instructions", instructions_context(self.catalog, slots)))
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
            part = Part("calc", calc_context(self.catalog, slots, value.strip()[:40]))
            current = ("calc", "")
        else:
            part = Part("faq", faq_context(self.catalog, slots, value))
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
