"""Platform-neutral output of one wizard step: text parts to render and buttons with short action codes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.feedback import Report

# Buttons that act in the user's client and never reach the wizard: "copy" puts ``value`` on the clipboard
# (a hotline, an app's name to paste into WeChat search), "url" opens ``value``.
CLIENT_ACTIONS: tuple[str, ...] = ("copy", "url")


@dataclass(frozen=True)
class Button:
    """A choice the user can make. ``action`` and ``value`` are short codes; ``text`` is the label."""

    action: str
    value: str = ""
    text: str = ""
    selected: bool = False


@dataclass(frozen=True)
class Part:
    """One piece of text: a template in ``messages/`` and the context it is rendered with."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class View:
    """What the user sees after a step: ``options`` are the step's choices, ``actions`` the navigation."""

    state: str
    parts: tuple[Part, ...]
    options: tuple[Button, ...] = ()
    actions: tuple[Button, ...] = ()
    notice: str | None = None
    report: Report | None = None  # a user's report of wrong information for the front end to keep
