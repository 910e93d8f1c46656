"""Spotting personal data users paste by mistake, so it is neither stored nor logged.

The bot needs no personal data. Resident identity numbers are checked with their GB 11643 check digit
and bank cards with the Luhn checksum (both via python-stdnum), so ordinary numbers such as a
contribution base are not mistaken for them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum import luhn
from stdnum.cn import ric

from bot.understand import clean_text

_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
_CARD = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){15,18}(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]){8}(?![0-9])")


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


def _looks_like_id(number: str) -> bool:
    """An 18-character number shaped like a resident ID: a valid check digit, or a birth date in
    positions 7-14 (a mistyped ID is still an ID; a bank card of that length rarely holds a date)."""
    if ric.is_valid(number):
        return True
    try:
        born = dt.datetime.strptime(number[6:14], "%Y%m%d")
    except ValueError:
        return False
    return 1900 <= born.year <= 2099


def find_personal_data(text: str) -> Findings:
    """Detect a resident ID number (valid check digit or a birth date where an ID has one), a bank card
    (valid Luhn) or a mobile number."""
    flat = clean_text(text)
    ids = [m.group() for m in _ID.finditer(flat) if _looks_like_id(m.group())]
    cards = [d for d in (re.sub(r"[ -]", "", m.group()) for m in _CARD.finditer(flat)) if luhn.is_valid(d)]
    cards = [c for c in cards if c.upper() not in {i.upper() for i in ids}]
    phones = _PHONE.findall(flat)
    return Findings(bool(ids), bool(cards), bool(phones))


def redact(text: str) -> str:
    """The text with anything that looks like an ID number, card or phone number masked (for logs)."""
    flat = clean_text(text)
    for pattern in (_ID, _CARD, _PHONE):
        flat = pattern.sub(lambda m: "*" * len(m.group()), flat)
    return flat
