"""Walking the wizard the way a user does: every page reachable by pressing buttons, through the real
:meth:`Wizard.step`. The linter, ``flows preview`` and ``flows graph`` all use it, so what they show is
what the bot does, not a second model of it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from bot.session import STEPS, Session
from bot.view import View
from bot.wizard import Event, Wizard


@dataclass(frozen=True)
class Page:
    """A page a user can reach, with the session that shows it."""

    session: Session
    view: View

    @property
    def slots(self) -> Mapping[str, str]:
        """The choices made to get here."""
        return self.session.slots


def walk(wizard: Wizard, start: Mapping[str, str] | None = None) -> Iterator[Page]:
    """Yield every page reachable by pressing option buttons, depth first, from the first step.

    With ``start`` (e.g. ``{"identity": "resident", "province": "430000"}``) only the pages below those
    choices are yielded, plus the pages on the way there.
    """
    session, view = wizard.step(Session(), Event("show"))
    yield from _below(wizard, Page(session, view), dict(start or {}), set())


def _below(wizard: Wizard, page: Page, start: dict[str, str], seen: set[tuple[str, tuple]]) -> Iterator[Page]:
    key = (page.view.state, tuple(sorted(page.slots.items())))
    if key in seen:
        return
    seen.add(key)
    yield page
    state = page.view.state
    for button in page.view.options:
        wanted = start.get(state)
        if wanted is not None and button.value != wanted:
            continue
        session, view = wizard.step(page.session, Event("pick", button.value, page.session.version))
        if view.notice is None:
            yield from _below(wizard, Page(session, view), start, seen)


class PathError(ValueError):
    """A choice is not offered at its step; ``options`` lists what is (value -> button text)."""

    def __init__(self, step: str, value: str, options: dict[str, str]) -> None:
        self.step, self.value, self.options = step, value, options
        super().__init__(f"{value!r} is not offered at step {step!r}")


def drive(wizard: Wizard, choices: Mapping[str, str]) -> Page:
    """Press the buttons for ``choices`` (identity, province, city, channel) in order, as a user would.

    Steps the wizard skips (a single choice) are not pressed. Raises :class:`PathError` when a choice is
    not offered at its step.
    """
    session, view = wizard.step(Session(), Event("show"))
    while view.state in STEPS:
        state = view.state
        value = choices.get(state)
        if value is None:
            break
        if value not in {b.value for b in view.options}:
            raise PathError(state, value, {b.value: b.text for b in view.options})
        session, view = wizard.step(session, Event("pick", value, session.version))
    return Page(session, view)
