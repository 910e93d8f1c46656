"""Splitting long Telegram HTML into messages of at most 4096 characters without breaking tags.

Blocks separated by a blank line are kept whole where possible, then lines; the page templates never
open a tag on one line and close it on another, so cutting between lines keeps the HTML valid. A single
line longer than a message (never produced by the shipped templates) is sent as escaped plain text.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from bot.render import html_to_text

LIMIT = 4096  # Telegram's maximum message length


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _slices(line: str, limit: int) -> Iterator[str]:
    out, size = "", 0
    for ch in html_to_text(line):
        esc = html.escape(ch, quote=False)
        n = utf16_len(esc)
        if size + n > limit:
            yield out
            out, size = "", 0
        out, size = out + esc, size + n
    if out:
        yield out


def _pieces(text: str, limit: int) -> Iterator[tuple[str, str]]:
    """(separator before, piece) pairs, each piece at most ``limit`` long."""
    for block in text.split("\n\n"):
        if utf16_len(block) <= limit:
            yield "\n\n", block
            continue
        sep = "\n\n"
        for line in block.split("\n"):
            for piece in [line] if utf16_len(line) <= limit else _slices(line, limit):
                yield sep, piece
                sep = "\n"


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """``text`` as one or more messages, each at most ``limit`` UTF-16 units, cut at blank lines first."""
    if utf16_len(text) <= limit:
        return [text]
    out: list[str] = []
    current = ""
    for sep, piece in _pieces(text, limit):
        candidate = f"{current}{sep}{piece}" if current else piece
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            out.append(current)
            current = piece
    out.append(current)
    return [part.strip("\n") for part in out if part.strip()]
