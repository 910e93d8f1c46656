"""What the reminder pages show: the dates offered, the confirmation, the list, and the reminder itself.

Each function returns a platform-neutral :class:`~bot.view.View` over ``messages/reminder.html.j2``;
button labels come from ``messages/labels.yaml``. Reminder buttons use two actions: ``remind`` (value
empty: offer dates for the current guide; ``s<code>``/``k<code>``: set from the current guide, or keep
the existing reminder's region; ``c<key>``: offer dates to change that reminder) and ``reminders``
(value empty: the list; ``x<key>``: cancel).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.catalog.catalog import Catalog
from bot.pages.instructions import _Sources, amounts
from bot.reminders.plan import (
    Option,
    Window,
    beijing,
    day_date,
    monthly_options,
    region_of,
    resident_options,
    when,
)
from bot.store.reminders import Reminder
from bot.view import Button, Part, View

STATE = "reminders"  # the View.state of reminder pages (not a wizard state)


def describe(catalog: Catalog, slots: Mapping[str, str]) -> dict[str, str]:
    """Names of what a reminder is about: identity, place and channel (empty when unknown)."""
    nat = catalog.national
    identity = slots.get("identity", "")
    code = region_of(slots)
    region = catalog.regions.get(code)
    place = ""
    if region is not None:
        parent = catalog.regions.get(region.parent or "")
        place = f"{parent.name}{region.name}" if parent is not None else region.name
    channel = nat.channel_labels.get(slots.get("channel", ""))  # type: ignore[call-overload]
    return {
        "identity": nat.identities[identity].label if identity in nat.identities else "",
        "place": place,
        "channel": channel.label if channel is not None else "",
    }


def _option_button(labels: Mapping[str, Any], option: Option, prefix: str) -> Button:
    if option.day:
        text = str(labels["remind_monthly"]).format(d=option.day)
    else:
        t = beijing(option.due)
        text = str(labels["remind_date"]).format(m=t.month, d=t.day, w=str(labels["weekdays"])[t.weekday()])
    return Button("remind", prefix + option.code, text)


def _window(win: Window | None) -> dict[str, Any] | None:
    if win is None:
        return None
    return {"end": day_date(win.end), "year": win.year, "official": win.official}


def options_view(
    catalog: Catalog, labels: Mapping[str, Any], slots: Mapping[str, str], now: float, keep: bool = False
) -> View:
    """The dates to choose from for the guide in ``slots`` (``keep``: changing an existing reminder)."""
    identity = slots.get("identity", "")
    about = describe(catalog, slots)
    if identity not in ("resident", "flexible") or not about["place"]:
        return View(STATE, (Part("reminder", {"kind": "needs_guide"}),))
    prefix = "k" if keep else "s"
    ctx: dict[str, Any] = {"kind": "options", "identity": identity, "about": about}
    if identity == "resident":
        win, options = resident_options(catalog, slots, now)
        ctx |= {"window": _window(win), "year": options[0].year if options else 0}
    else:
        options = monthly_options(now)
    buttons = tuple(_option_button(labels, o, prefix) for o in options)
    if not buttons:
        ctx["kind"] = "no_dates"
    return View(STATE, (Part("reminder", ctx),), buttons, (Button("reminders", "", labels["my_reminders"]),))


def set_view(catalog: Catalog, labels: Mapping[str, Any], reminder: Reminder, win: Window | None) -> View:
    """The confirmation: what, and when in Beijing time."""
    ctx = {
        "kind": "set",
        "about": describe(catalog, reminder.slots),
        "when": when(reminder.due),
        "day": reminder.day,
        "year": reminder.year,
        "window": _window(win),
    }
    actions = (Button("reminders", "", labels["my_reminders"]),)
    return View(STATE, (Part("reminder", ctx),), (), actions)


def list_view(
    catalog: Catalog, labels: Mapping[str, Any], reminders: Sequence[Reminder], note: str = ""
) -> View:
    """The chat's reminders with a change and a cancel button each (``note``: ``cancelled`` on top)."""
    items: list[dict[str, Any]] = [
        {"about": describe(catalog, r.slots), "when": when(r.due), "day": r.day, "year": r.year}
        for r in reminders
    ]
    buttons: list[Button] = []
    for r, item in zip(reminders, items, strict=True):
        name = item["about"]["place"] or item["about"]["identity"]
        buttons.append(Button("remind", f"c{r.key}", str(labels["remind_change"]).format(name=name)))
        buttons.append(Button("reminders", f"x{r.key}", str(labels["remind_cancel"]).format(name=name)))
    ctx = {"kind": "list", "items": items, "note": note}
    return View(STATE, (Part("reminder", ctx),), tuple(buttons))


def due_view(catalog: Catalog, reminder: Reminder, now: float) -> View:
    """The reminder as delivered: what to pay, how much, and by when (figures labelled by their year)."""
    slots = dict(reminder.slots)
    identity = slots.get("identity", "")
    flow = catalog.flows.get(region_of(slots))
    figures: dict[str, Any] = {}
    if flow is not None and identity in flow.identities:
        figures = amounts(flow, identity, _Sources())
    today = beijing(now).date()
    win = None
    if identity == "resident":
        win = resident_options(catalog, slots, now)[0]
    ctx = {
        "kind": "due",
        "identity": identity,
        "about": describe(catalog, slots),
        "figures": figures,
        "year": reminder.year,
        "window": _window(win),
        "month": {"y": today.year, "m": today.month},
        "day": reminder.day,
    }
    return View(STATE, (Part("reminder", ctx),))
