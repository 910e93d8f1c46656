"""A user's place in the wizard: plain data that serialises to a small JSON object."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

STEPS: tuple[str, ...] = ("identity", "province", "city", "channel")
STATES: tuple[str, ...] = (*STEPS, "instructions")


@dataclass(frozen=True)
class Session:
    """State name, chosen slots (identity, province, city, channel) and a version bumped on every change."""

    state: str = "identity"
    slots: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    version: int = 0

    def evolve(self, state: str | None = None, slots: Mapping[str, str] | None = None) -> Session:
        """A new session with the given changes and the version bumped if anything changed."""
        new_state = self.state if state is None else state
        new_slots = self.slots if slots is None else MappingProxyType(dict(slots))
        if new_state == self.state and dict(new_slots) == dict(self.slots):
            return self
        return replace(self, state=new_state, slots=new_slots, version=self.version + 1)

    def to_json(self) -> str:
        """Compact JSON, e.g. ``{"s":"channel","v":4,"d":{"identity":"resident","province":"430000"}}``."""
        return json.dumps(
            {"s": self.state, "v": self.version, "d": dict(self.slots)},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Session:
        """Parse :meth:`to_json` output; anything malformed yields a fresh session, never an exception."""
        try:
            raw: Any = json.loads(text)
            state, version, slots = raw["s"], raw["v"], raw["d"]
            if state not in STATES or not isinstance(version, int) or not isinstance(slots, dict):
                raise ValueError(state)
            clean = {k: str(v) for k, v in slots.items() if k in STEPS and isinstance(v, str)}
            return cls(state, MappingProxyType(clean), version)
        except (ValueError, KeyError, TypeError):
            return cls()
