"""Spotting personal data users paste by mistake, so it is neither stored nor logged.

The bot needs no personal data. Resident identity numbers are checked with their GB 11643 check digit
and bank cards with the Luhn checksum, so ordinary numbers such as a contribution base are not mistaken
for them. Both checks are a few lines here (``tests/test_privacy.py`` compares them with python-stdnum,
a test dependency): importing python-stdnum brought ``pydoc`` and ``pkgutil`` with it, 1.35 MiB of
resident memory (docs/performance.md, session 7).

People write these numbers in many ways: ``430102 19900307 4515``, ``4301-0219-9003-074515``,
``138.1234.5678``, ``(138)1234-5678``, ``6222.0200.…``. So the text is first cut into *digit runs*:
digits with at most a few separators (spaces, hyphens, dashes, dots, middle dots, brackets) between
them; each run is checked with its separators removed, and so is each of its space-separated pieces
(two numbers side by side, ``13812345678 430102…``). The strict patterns on the text as typed are kept
as well. This runs before anything reads an amount from the text (the guard is the first handler).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.understand import clean_text

_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
_CARD = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){15,18}(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]){8}(?![0-9])")
# Separators people put inside a number (after NFKC: full-width brackets and spaces are ASCII).
_SEP = r"[\s\-\u2010-\u2015\u2212.\u00b7\u30fb\u3002()]"
# A digit run: an optional opening bracket or +, digits with up to 3 separators between them, an
# optional trailing X (the ID check character), an optional closing bracket.
_RUN = re.compile(rf"[(+]?(?<![0-9])[0-9](?:{_SEP}{{0,3}}[0-9])*(?:{_SEP}{{0,3}}[Xx](?![A-Za-z]))?\)?")
_NOT_DIGIT = re.compile(r"[^0-9Xx]")


@dataclass(frozen=True)
class Findings:
    """Which kinds of personal data a text contains."""

    id_number: bool = False
    bank_card: bool = False
    phone: bool = False

    def __bool__(self) -> bool:
        return self.id_number or self.bank_card or self.phone

    @property
    def kinds(self) -> list[str]:
        """Names of the kinds found: id_number, bank_card, phone."""
        return [k for k in ("id_number", "bank_card", "phone") if getattr(self, k)]


def ric_valid(number: str) -> bool:
    """A resident identity number (18 characters, digits then a digit or X) with a valid GB 11643 check
    character and a real date in positions 7-14. (python-stdnum's ``cn.ric.is_valid`` also looks the
    birth place up in its database; a number failing only that still looks like an ID below.)"""
    if len(number) != 18 or not (number[:-1].isascii() and number[:-1].isdigit()):
        return False
    check = (1 - 2 * int(number[:-1], 13)) % 11
    if number[-1].upper() != ("X" if check == 10 else str(check)):
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return True


def luhn_valid(digits: str) -> bool:
    """``digits`` (ASCII digits only) pass the Luhn checksum of bank cards."""
    if not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _looks_like_id(number: str) -> bool:
    """An 18-character number shaped like a resident ID: a valid check digit, or a birth date in
    positions 7-14 (a mistyped ID is still an ID; a bank card of that length rarely holds a date)."""
    if ric_valid(number):
        return True
    try:
        born = dt.datetime.strptime(number[6:14], "%Y%m%d")
    except ValueError:
        return False
    return 1900 <= born.year <= 2099


def _kind(digits: str) -> str | None:
    """What a separator-free run of digits is: id_number, bank_card, phone, or None."""
    n = len(digits)
    if n == 18 and digits[0] != "0" and _looks_like_id(digits):
        return "id_number"
    if not digits[:-1].isdigit():  # an X anywhere but in an ID
        return None
    if 16 <= n <= 19 and digits.isdigit() and luhn_valid(digits):
        return "bank_card"
    if n == 13 and digits.startswith("86"):
        digits, n = digits[2:], 11
    if n == 11 and digits[0] == "1" and digits[1] in "3456789" and digits.isdigit():
        return "phone"
    return None


def _runs(flat: str) -> list[tuple[int, int, str]]:
    """Every digit run of ``flat`` that holds personal data: (start, end, kind)."""
    found: list[tuple[int, int, str]] = []
    for m in _RUN.finditer(flat):
        text = m.group()
        if sum(ch.isdigit() for ch in text) < 11:
            continue
        kind = _kind(_NOT_DIGIT.sub("", text).upper())
        if kind is not None:
            found.append((m.start(), m.end(), kind))
            continue
        # Several numbers side by side: each space-separated piece, and each pair of neighbours.
        pieces = [(p.start(), p.end(), p.group()) for p in re.finditer(r"\S+", text)]
        for i in range(len(pieces)):
            for j in range(i, min(i + 4, len(pieces))):
                joined = _NOT_DIGIT.sub("", "".join(p[2] for p in pieces[i : j + 1])).upper()
                kind = _kind(joined)
                if kind is not None:
                    found.append((m.start() + pieces[i][0], m.start() + pieces[j][1], kind))
    return found


def find_personal_data(text: str) -> Findings:
    """Detect a resident ID number (valid check digit, or a birth date where an ID has one), a bank card
    (valid Luhn) or a mobile number, however it is spaced, hyphenated, dotted or bracketed."""
    flat = clean_text(text)
    if not any(ch.isdigit() for ch in flat):
        return Findings()
    ids = [m.group() for m in _ID.finditer(flat) if _looks_like_id(m.group())]
    cards = [d for d in (re.sub(r"[ -]", "", m.group()) for m in _CARD.finditer(flat)) if luhn_valid(d)]
    cards = [c for c in cards if c.upper() not in {i.upper() for i in ids}]
    kinds = {"id_number"} if ids else set()
    kinds |= {"bank_card"} if cards else set()
    kinds |= {"phone"} if _PHONE.search(flat) else set()
    kinds |= {kind for _, _, kind in _runs(flat)}
    return Findings("id_number" in kinds, "bank_card" in kinds, "phone" in kinds)


def redact(text: str) -> str:
    """The text with anything that looks like an ID number, card or phone number masked (for logs)."""
    flat = clean_text(text)
    if not any(ch.isdigit() for ch in flat):
        return flat
    for pattern in (_ID, _CARD, _PHONE):
        flat = pattern.sub(lambda m: "*" * len(m.group()), flat)
    spans = _runs(flat)
    if spans:
        chars = list(flat)
        for start, end, _ in spans:
            chars[start:end] = "*" * (end - start)
        flat = "".join(chars)
    return flat
