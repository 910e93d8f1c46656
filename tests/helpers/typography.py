"""Chinese typography checks for rendered pages and template sources: full-width punctuation next to
Chinese text, no nested brackets, thousands separators in amounts of money."""

from __future__ import annotations

import re

_TAG = re.compile(r"<[^>]*>")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_URL = re.compile(r"(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,}(?:/[\x21-\x7e]*)?")
_HAN = "\u4e00-\u9fff"
ASCII_NEXT_TO_HAN = re.compile(rf"[{_HAN}][,;:?!()]|[,;:?!()][{_HAN}]")
NESTED = re.compile(r"（[^（）]*（")
NO_SEPARATOR = re.compile(r"(?<![\d,.])\d{4,}(?:\.\d+)?\s*元")


def typography_problems(text: str, template: bool = False) -> list[str]:
    """What is wrong with the Chinese typography of ``text`` (rendered HTML, or a template's source)."""
    plain = _JINJA.sub("", text) if template else text
    plain = _URL.sub("", _TAG.sub("", plain))
    problems = [
        f"ASCII punctuation in Chinese text: {m.group()!r}" for m in ASCII_NEXT_TO_HAN.finditer(plain)
    ]
    problems += [f"nested brackets: {m.group()!r}" for m in NESTED.finditer(plain)]
    if not template:
        problems += [f"no thousands separator: {m.group()!r}" for m in NO_SEPARATOR.finditer(plain)]
    return problems
