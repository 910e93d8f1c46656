"""One-off helper: full-width punctuation in the Chinese text of flows/ and messages/.

Replaces , : ; ? ! ( ) next to Chinese text (brackets in pairs whose content or neighbours are Chinese)
and leaves YAML syntax, Jinja tags, HTML tags, URLs and ASCII-only text alone. For YAML files it checks
that the parsed data is unchanged except for those characters. Usage: python scripts/fullwidth.py FILE...
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
BACK = {v: k for k, v in FULL.items()}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’…—]")
# Spans never touched: Jinja, HTML tags, URLs (scheme or bare domain with a path).
PROTECT = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<[^>]*>|https?://\S+?(?=[\s)\u4e00-\u9fff（），。；]|$)"
    r"|[A-Za-z0-9.-]+\.(?:com|cn|net|org|gov\.cn|com\.cn)(?:/[\x21-\x27\x2a-\x7e]*)?"
)


def _is_cjk(ch: str | None, jinja_as_cjk: bool) -> bool:
    return ch is not None and (bool(CJK.match(ch)) or (jinja_as_cjk and ch == "\x00"))


def convert_text(text: str, jinja_as_cjk: bool = False) -> str:
    """Convert the punctuation of one piece of text (a YAML value or a template line)."""
    spans = [(m.start(), m.end()) for m in PROTECT.finditer(text)]
    # A masked copy: protected spans become \x00 (Jinja) or \x01 (anything else).
    masked = list(text)
    for s, e in spans:
        fill = "\x00" if text[s : s + 2] in ("{{",) else "\x01"
        for i in range(s, e):
            masked[i] = fill
    out = list(text)

    def prev_ch(i: int) -> str | None:
        j = i - 1
        while j >= 0 and masked[j] == " ":
            j -= 1
        return masked[j] if j >= 0 else None

    def next_ch(i: int) -> str | None:
        j = i + 1
        while j < len(masked) and masked[j] == " ":
            j += 1
        return masked[j] if j < len(masked) else None

    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(masked):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs.append((stack.pop(), i))
    for s, e in pairs:
        inner = "".join(masked[s + 1 : e])
        if any(_is_cjk(c, jinja_as_cjk) for c in inner) or _is_cjk(prev_ch(s), jinja_as_cjk):
            out[s], out[e] = "（", "）"
    for i, ch in enumerate(masked):
        if ch not in ",:;?!":
            continue
        p, n = masked[i - 1] if i else None, next_ch(i)
        if ch == ":" and text[i + 1 : i + 3] == "//":
            continue
        if (
            (_is_cjk(p, jinja_as_cjk) or out[i - 1] in "）" if i else False)
            or (_is_cjk(n, jinja_as_cjk) and (p is None or not p.isascii() or not p.isalnum() or ch in ",;"))
            or (p is not None and p.isdigit() and _is_cjk(n, jinja_as_cjk))
        ):
            out[i] = FULL[ch]
    return "".join(out)


YAML_LINE = re.compile(r"^(\s*(?:- )?(?:[A-Za-z_][\w-]*|\"[^\"]*\"):\s+|\s*- |\s*)(.*)$")


def convert_yaml(src: str) -> str:
    lines = []
    for line in src.split("\n"):
        m = YAML_LINE.match(line)
        assert m is not None
        head, value = m.group(1), m.group(2)
        if value.startswith(("[", "{")):  # a flow collection: only its double-quoted strings
            lines.append(head + re.sub(r'"[^"]*"', lambda q: convert_text(q.group()), value))
            continue
        if (
            line.lstrip().startswith("#")
            or value.startswith(("[", "{", "#", "|", ">", "&", "*"))
            or not value
        ):
            lines.append(line)
            continue
        if re.match(r"^\s*[A-Za-z_][\w-]*:\s*$", line):
            lines.append(line)
            continue
        comment = ""
        if " #" in value and not value.startswith(("'", '"')):
            value, _, rest = value.partition(" #")
            comment = " #" + rest
        lines.append(head + convert_text(value) + comment)
    return "\n".join(lines)


def _unfull(x: object) -> object:
    if isinstance(x, str):
        return "".join(BACK.get(c, c) for c in x)
    if isinstance(x, list):
        return [_unfull(v) for v in x]
    if isinstance(x, dict):
        return {k: _unfull(v) for k, v in x.items()}
    return x


def main(paths: list[str]) -> int:
    for name in paths:
        path = Path(name)
        src = path.read_text(encoding="utf-8")
        if path.suffix == ".yaml":
            new = convert_yaml(src)
            before, after = yaml.safe_load(src), yaml.safe_load(new)
            if _unfull(before) != _unfull(after):
                print(f"{name}: parsed data would change; left alone")
                continue
        else:
            new = "\n".join(convert_text(line, jinja_as_cjk=True) for line in src.split("\n"))
        if new != src:
            path.write_text(new, encoding="utf-8")
            print(f"{name}: converted")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
