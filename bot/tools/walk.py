"""Walking the wizard the way a user does: every page reachable by pressing buttons, through the real
:meth:`Wizard.step`. The linter, ``flows preview`` and ``flows graph`` all use it, so what they show is
what the bot does, not a second model of it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from bot.events import Event
from bot.session import STEPS, Session
from bot.view import CLIENT_ACTIONS, View
from bot.wizard import Wizard


@dataclass(frozen=True)
class Page:
    """A page a user can reach, with the session that shows it.

    ``via`` is the ``(action, value)`` of the button that opened a follow-up page over the instructions
    (calculator, common questions); None for the wizard's own steps.
    """

    session: Session
    view: View
    via: tuple[str, str] | None = None

    @property
    def slots(self) -> Mapping[str, str]:
        """The choices made to get here."""
        return self.session.slots


def walk(
    wizard: Wizard, start: Mapping[str, str] | None = None, regions: Collection[str] | None = None
) -> Iterator[Page]:
    """Yield every page reachable by pressing buttons, depth first, from the first step.

    With ``start`` (e.g. ``{"identity": "resident", "province": "430000"}``) only the pages below those
    choices are yielded, plus the pages on the way there. With ``regions`` (codes) only the paths through
    those regions are followed (a province's code covers its cities too).
    """
    session, view = wizard.step(Session(), Event("show"))
    keep = None
    if regions is not None:
        cat = wizard.catalog
        provinces = {cat.province_of(c) for c in regions if c in cat.regions}
        cities = {c.code for p in provinces & set(regions) for c in cat.cities_of.get(p, ())}
        keep = {"province": provinces, "city": {*regions, *cities}}
    yield from _below(wizard, Page(session, view), dict(start or {}), set(), keep)


def _below(
    wizard: Wizard,
    page: Page,
    start: dict[str, str],
    seen: set[tuple[str, tuple]],
    keep: dict[str, set[str]] | None = None,
) -> Iterator[Page]:
    key = (page.view.state, tuple(sorted(page.slots.items())))
    if key in seen:
        return
    seen.add(key)
    yield page
    state = page.view.state
    if state == "instructions":
        # Buttons that open a page without moving the user (follow-ups) are pages too.
        for button in page.view.actions:
            if button.action in CLIENT_ACTIONS:
                continue
            session, view = wizard.step(
                page.session, Event(button.action, button.value, page.session.version)
            )
            if session == page.session and view.notice is None and view != page.view:
                yield Page(session, view, (button.action, button.value))
    for button in page.view.options:
        wanted = start.get(state)
        if wanted is not None and button.value != wanted:
            continue
        if keep is not None and state in keep and button.value not in keep[state]:
            continue
        session, view = wizard.step(page.session, Event("pick", button.value, page.session.version))
        if view.notice is None:
            yield from _below(wizard, Page(session, view), start, seen, keep)


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
