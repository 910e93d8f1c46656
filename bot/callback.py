"""Compact ``callback_data`` for inline buttons: ``<version>:<action code>:<value>``, at most 64 bytes.

The session version travels with every button, so a button from an older message or an earlier step is
recognised as stale instead of being acted on. :func:`decode` never raises: anything it does not
understand (old formats, garbage, other bots' data) decodes to ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64  # Telegram's limit on callback_data
# Wizard actions plus "page" (keyboard page navigation, handled by the adapter; never changes the session).
ACTION_CODES: dict[str, str] = {
    "pick": "p",
    "back": "b",
    "restart": "r",
    "channel": "c",
    "show": "s",
    "calc": "k",
    "faq": "f",
    "report": "e",
    "more": "i",  # the guide's "more information" page
    "page": "g",
    # Payment reminders (bot/reminders/views.py): handled by the adapter, never by the wizard.
    "remind": "m",
    "reminders": "n",
}
_ACTIONS = {code: action for action, code in ACTION_CODES.items()}
_PATTERN = re.compile(r"(0|[1-9][0-9]{0,17}):([a-z]):([A-Za-z0-9_-]{0,40})")


@dataclass(frozen=True)
class Callback:
    """A decoded button press: which action, with which value, on which session version."""

    version: int
    action: str
    value: str = ""


def encode(callback: Callback) -> str:
    """``Callback(12, "pick", "430000")`` -> ``"12:p:430000"``; raises ValueError if it cannot fit."""
    code = ACTION_CODES.get(callback.action)
    if code is None:
        raise ValueError(f"no callback code for action {callback.action!r}")
    data = f"{callback.version}:{code}:{callback.value}"
    if not _PATTERN.fullmatch(data) or len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is not compact ASCII of at most {MAX_BYTES} bytes")
    return data


def decode(data: object) -> Callback | None:
    """The :class:`Callback` in ``data``, or None for anything malformed (never raises)."""
    if not isinstance(data, str) or len(data) > MAX_BYTES:
        return None
    m = _PATTERN.fullmatch(data)
    if m is None or m.group(2) not in _ACTIONS:
        return None
    return Callback(int(m.group(1)), _ACTIONS[m.group(2)], m.group(3))
