"""Check that text is valid Telegram HTML: only allowed tags, balanced, entities well formed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.errors.append(f"tag <{tag}> not allowed")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()


def telegram_html_errors(text: str) -> list[str]:
    """Problems Telegram would reject with 'can't parse entities' (empty list when fine)."""
    c = _Checker()
    c.feed(text)
    c.close()
    errors = c.errors + [f"unclosed <{t}>" for t in c.stack]
    # A bare '<' that is not a tag, or '&' not starting an entity, is rejected by Telegram too.
    if re.search(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        errors.append("unescaped '&'")
    return errors
