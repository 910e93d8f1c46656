"""A user's place in the wizard: plain data that serialises to a small JSON object."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

STEPS: tuple[str, ...] = ("identity", "province", "city", "channel")
STATES: tuple[str, ...] = (*STEPS, "instructions")


QUESTION_MAX = 40  # a pending question is a short code such as "calc:12000"
WHO_MAX = 16  # whom the insurance is for: a short name such as "grandchild"
PEOPLE_MAX = 20  # how many people one payment question is about (一家三口: 3); larger counts are not kept


@dataclass(frozen=True)
class Session:
    """State name, chosen slots (identity, province, city, channel) and a version bumped on every change.

    ``question`` is a typed question waiting for an answer the wizard cannot give yet (the calculator
    before a region is chosen), as a short code like ``calc:5000``; empty when none waits. ``who`` is
    whom the insurance is for when a message said so (child, parent ...; ``WHO`` in the catalog models),
    kept for later answers, and ``people`` how many people the payment is for when a message said so (0:
    not said).
    """

    state: str = "identity"
    slots: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    version: int = 0
    question: str = ""
    who: str = ""
    people: int = 0

    def evolve(self, state: str | None = None, slots: Mapping[str, str] | None = None) -> Session:
        """A new session with the given changes and the version bumped if anything changed."""
        new_state = self.state if state is None else state
        new_slots = self.slots if slots is None else MappingProxyType(dict(slots))
        if new_state == self.state and dict(new_slots) == dict(self.slots):
            return self
        return replace(self, state=new_state, slots=new_slots, version=self.version + 1)

    def with_question(self, question: str) -> Session:
        """The session with ``question`` waiting (empty: none); the version is bumped if it changed."""
        question = question[:QUESTION_MAX]
        if question == self.question:
            return self
        return replace(self, question=question, version=self.version + 1)

    def with_who(self, who: str) -> Session:
        """The session with ``who`` kept; the version is bumped if it changed."""
        who = who[:WHO_MAX]
        return self if who == self.who else replace(self, who=who, version=self.version + 1)

    def with_family(self, who: str, people: int) -> Session:
        """The session with whom the payment is for and how many people (0: not said) kept."""
        who, people = who[:WHO_MAX], people if 0 < people <= PEOPLE_MAX else 0
        if who == self.who and people == self.people:
            return self
        return replace(self, who=who, people=people, version=self.version + 1)

    def to_json(self) -> str:
        """Compact JSON, e.g. ``{"s":"channel","v":4,"d":{"identity":"resident","province":"430000"}}``."""
        data: dict[str, Any] = {"s": self.state, "v": self.version, "d": dict(self.slots)}
        if self.question:
            data["q"] = self.question
        if self.who:
            data["w"] = self.who
        if self.people:
            data["n"] = self.people
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Session:
        """Parse :meth:`to_json` output; anything malformed yields a fresh session, never an exception."""
        try:
            raw: Any = json.loads(text)
            state, version, slots = raw["s"], raw["v"], raw["d"]
            if state not in STATES or not isinstance(version, int) or not isinstance(slots, dict):
                raise ValueError(state)
            clean = {k: str(v) for k, v in slots.items() if k in STEPS and isinstance(v, str)}
            question = raw.get("q", "")
            if not isinstance(question, str):
                question = ""
            who = raw.get("w", "")
            who = who[:WHO_MAX] if isinstance(who, str) else ""
            people = raw.get("n", 0)
            people = people if isinstance(people, int) and 0 < people <= PEOPLE_MAX else 0
            return cls(state, MappingProxyType(clean), version, question[:QUESTION_MAX], who, people)
        except (ValueError, KeyError, TypeError):
            return cls()
