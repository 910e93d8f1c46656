"""The steps and transitions, declared as data and run by one shared ``transitions.Machine``.

Sessions are plain data, so nothing per user stays in memory between updates. Conditions are named in
the machine definition and looked up in :data:`CONDITIONS`, never imported from dotted paths.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypedDict

from transitions import EventData, Machine, MachineError

from bot.catalog.catalog import Catalog
from bot.session import STATES


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
    model = event.model
    assert isinstance(model, _Model)
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


def trigger(catalog: Catalog, state: str, slots: dict[str, str], event: str) -> str | None:
    """The state ``event`` leads to from ``state`` with these ``slots`` (None when it may not fire)."""
    model = _Model(state, slots, catalog)
    try:
        MACHINE.events[event].trigger(model)
    except MachineError:
        return None
    return model.state
