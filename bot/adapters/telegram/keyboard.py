"""Inline keyboards from a :class:`View`: choices packed into rows by label width, long lists paginated.

Every button's ``callback_data`` carries the session version (see :mod:`bot.callback`). Page navigation
buttons re-show the same step at another page; they never change the session.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from typing import Any

from telegram import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapters.telegram.texts import TelegramTexts
from bot.callback import Callback, encode
from bot.view import Button, View

PAGE_SIZE = 32  # choices per page: all 31 provinces on one page, so any province is one tap away
MAX_COLUMNS = 3  # navigation buttons
MAX_CHOICE_COLUMNS = 4  # a step's choices, in rows of equal length
ROW_WIDTH = 24  # display cells per row on a phone; a CJK character or an emoji takes 2


@functools.lru_cache(maxsize=4096)  # labels come from a small set (regions, channels, labels.yaml)
def display_width(text: str) -> int:
    """Approximate width of ``text`` on screen, counting wide (CJK, emoji) characters as 2."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Cf") or ch == "\ufe0f":
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pack_rows(labels: Sequence[str]) -> list[list[int]]:
    """Indexes of ``labels`` grouped into rows: up to 3 per row while equal-width buttons still fit."""
    rows: list[list[int]] = []
    widest = 0
    for i, label in enumerate(labels):
        w = max(display_width(label), 4)
        if rows and len(rows[-1]) < MAX_COLUMNS and max(widest, w) * (len(rows[-1]) + 1) <= ROW_WIDTH:
            rows[-1].append(i)
            widest = max(widest, w)
        else:
            rows.append([i])
            widest = w
    return rows


def even_rows(labels: Sequence[str]) -> list[list[int]]:
    """Indexes of ``labels`` in rows of the same number of buttons (the last row may be shorter): as many
    columns as the widest label allows, at most :data:`MAX_CHOICE_COLUMNS`."""
    if not labels:
        return []
    widest = max(max(display_width(label), 4) for label in labels)
    cols = max(1, min(MAX_CHOICE_COLUMNS, ROW_WIDTH // widest))
    return [list(range(i, min(i + cols, len(labels)))) for i in range(0, len(labels), cols)]


def page_count(n: int) -> int:
    """Number of pages needed for ``n`` choices."""
    return max(1, -(-n // PAGE_SIZE))


def default_page(options: Sequence[Button]) -> int:
    """The page showing the selected choice (the first page when none is selected)."""
    for i, b in enumerate(options):
        if b.selected:
            return i // PAGE_SIZE
    return 0


class SharedButton(InlineKeyboardButton):
    """A button built once and sent many times: its JSON form is computed once too. python-telegram-bot
    turns every button of every keyboard into a dict for each request, generically, which was 8% of the
    bot's CPU with the flood limit off (the benchmark's cProfile: 16 buttons a step)."""

    __slots__ = ("_as_dict",)
    _as_dict: dict[str, Any]

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        """The button as the Bot API takes it (a fresh copy of the dict computed the first time)."""
        try:
            cached: dict[str, Any] = self._as_dict
        except AttributeError:
            cached = super().to_dict(recursive=True)
            object.__setattr__(self, "_as_dict", cached)  # PTB objects are frozen after init
        return dict(cached) if recursive else super().to_dict(recursive=False)


@functools.lru_cache(maxsize=8192)
def _button(label: str, version: int, action: str, value: str) -> InlineKeyboardButton:
    """One button. PTB's buttons are immutable and costly to build (the bot benchmark's profile), and the
    same few hundred recur (same step, similar versions), so they are shared; the cache is bounded."""
    if action == "copy":
        return SharedButton(label, copy_text=CopyTextButton(value))
    if action == "url":
        return SharedButton(label, url=value)
    return SharedButton(label, callback_data=encode(Callback(version, action, value)))


def _rows(
    buttons: Sequence[Button], version: int, mark: str, even: bool = False
) -> list[list[InlineKeyboardButton]]:
    labels = [f"{mark}{b.text}" if b.selected else b.text for b in buttons]
    return [
        [_button(labels[i], version, buttons[i].action, buttons[i].value) for i in row]
        for row in (even_rows(labels) if even else pack_rows(labels))
    ]


def build_keyboard(
    view: View, version: int, texts: TelegramTexts, page: int | None = None, link: str | None = None
) -> InlineKeyboardMarkup | None:
    """The keyboard for ``view`` at ``page`` (default: the page of the current choice); None if no buttons.
    ``link``: the web page of the guide shown, given a share button of its own on the last row."""
    options = list(view.options)
    rows: list[list[InlineKeyboardButton]] = []
    pages = page_count(len(options))
    if pages > 1:
        current = min(max(default_page(options) if page is None else page, 0), pages - 1)
        shown = options[current * PAGE_SIZE : (current + 1) * PAGE_SIZE]
        rows += _rows(shown, version, texts.selected_mark, even=True)
        nav = []
        if current > 0:
            nav.append((texts.page_prev, current - 1))
        if current < pages - 1:
            nav.append((texts.page_next, current + 1))
        rows.append([_button(label, version, "page", str(p)) for label, p in nav])
    else:
        rows += _rows(options, version, texts.selected_mark, even=True)
    rows += _rows(view.actions, version, texts.selected_mark)
    if link:
        rows.append([InlineKeyboardButton(texts.share_button, url=link)])
    return InlineKeyboardMarkup(rows) if rows else None
