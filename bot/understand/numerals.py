"""Chinese numerals to numbers: 一万二 -> 12000, 两千五 -> 2500, 二〇二五 -> 2025, 廿五 -> 25, 八点五 -> 8.5.

The integer part of cn2an (MIT, https://github.com/Ailln/cn2an) 0.5, its "smart"/"normal" and "strict"
modes, for text that holds only numeral characters. cn2an itself imports ``proces``, whose address
regex alone costs 2.2 MiB of the bot's resident memory, to convert traditional and full-width characters
the bot has already folded (docs/performance.md, session 4). ``tests/test_numerals.py`` checks this
reader against cn2an over every string of up to four numeral characters.
"""

from __future__ import annotations

import re
from decimal import Decimal

DIGITS = {
    **dict.fromkeys("零〇", 0),
    **dict.fromkeys("一壹幺", 1),
    **dict.fromkeys("二贰两", 2),
    **dict.fromkeys("三叁", 3),
    **dict.fromkeys("四肆", 4),
    **dict.fromkeys("五伍", 5),
    **dict.fromkeys("六陆", 6),
    **dict.fromkeys("七柒", 7),
    **dict.fromkeys("八捌", 8),
    **dict.fromkeys("九玖", 9),
}
UNITS = {**dict.fromkeys("十拾", 10), **dict.fromkeys("百佰", 100), **dict.fromkeys("千仟", 1000)}
UNITS |= {"万": 10**4, "亿": 10**8}
# Strict mode leaves out the spoken forms: 〇, 两, 幺.
_STRICT_DIGITS = frozenset(DIGITS) - frozenset("〇两幺")
_NEXT_LOWER = {"百": "十", "佰": "十", "千": "百", "仟": "百", "万": "千"}  # 一万二 is 一万二千


class _Grammar:
    """Well-formed numerals from 零 up to 16 digits: cn2an's grammar, a regular expression there (whose
    compiled form would cost 0.8 MiB here) read section by section: 亿 and 万 appear at most once each
    per level, so splitting at them is exact; the sections below 万 are small expressions. Each
    character class is widened to the characters the mode accepts."""

    def __init__(self, digits: frozenset[str]) -> None:
        self.zero = "".join(c for c in digits if DIGITS[c] == 0)
        d = "[" + "".join(c for c in digits if DIGITS[c] > 0) + "]"
        ten, hundred, thousand = (
            "[" + "".join(u for u, n in UNITS.items() if n == v) + "]" for v in (10, 100, 1000)
        )
        _1_99 = f"(?:{d}?{ten}{d}?|{d})"
        _100_999 = f"{d}{hundred}(?:[{self.zero}]{d}|{d}{ten}{d}?)?"
        _1000_9999 = f"{d}{thousand}(?:[{self.zero}]{_1_99}|{_100_999})?"
        self.below_1000 = re.compile(f"{_100_999}|{_1_99}")
        self.thousands = re.compile(_1000_9999)
        self.below_10k = re.compile(f"{_1000_9999}|{_100_999}|{_1_99}")

    def match(self, text: str) -> bool:
        """``text`` is a well-formed numeral."""
        if text in self.zero:
            return len(text) == 1
        head, yi, rest = text.partition("亿")
        if not yi:
            return self._below_100m(text)
        return self._below_100m(head) and (
            not rest or (rest[0] in self.zero and self._below_100m(rest[1:])) or self._wan(rest)
        )

    def _below_100m(self, text: str) -> bool:
        return ("万" in text and self._wan(text)) or self.below_10k.fullmatch(text) is not None

    def _wan(self, text: str) -> bool:
        """A numeral with 万: thousands of 万, then nothing, 零 and up to 999, or 1000 to 9999."""
        head, wan, rest = text.partition("万")
        return (
            bool(wan)
            and self.below_10k.fullmatch(head) is not None
            and (
                not rest
                or (rest[0] in self.zero and self.below_1000.fullmatch(rest[1:]) is not None)
                or self.thousands.fullmatch(rest) is not None
            )
        )


_STRICT = _Grammar(_STRICT_DIGITS)
_NORMAL = _Grammar(frozenset(DIGITS))
_ALL = "".join(DIGITS)
# Every character that may go on a number: digits, a decimal point, numerals and their units (今年六十五 is
# no age before 块 or before 五 of 六十五; scan.py)
NUMERAL_CHARS = frozenset("0123456789." + _ALL + "".join(UNITS) + "万亿")
_SPOKEN = re.compile(f"(?:[{_ALL}]{{0,2}}([十拾百佰千仟万亿]))+[{_ALL}]")  # 一万二, 三百四, 十三万六
# cn2an's own output forms, read back: 十万零一千 -> 十万一千, 一万二十 -> 一万零二十, 一千二十 -> 一千零二十.
_NORMALISE = (
    (re.compile(f"万零(?=[{_ALL}][千仟])"), "万"),
    (re.compile(f"([万亿])([{_ALL}][十拾百佰])"), r"\1零\2"),
    (re.compile(f"([千仟])([{_ALL}]?[十拾])"), r"\1零\2"),
    (re.compile("([百佰])([十拾])"), r"\1一\2"),
)


_PLAIN = "零一二三四五六七八九"  # the everyday digit of each value, for writing numbers


def write_tens(n: int) -> str:
    """A whole number from 10 to 99 as it is written in Chinese numerals (十二, 六十, 七十三); the inverse of
    :func:`read_integer` on them."""
    if not 10 <= n <= 99:
        raise ValueError(f"{n} is not from 10 to 99")
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _PLAIN[tens]) + "十" + (_PLAIN[units] if units else "")


def read_integer(text: str, *, strict: bool = False) -> int | None:
    """The integer the numeral characters ``text`` spell, or None when they do not spell one. Besides
    well-formed numerals, the default (cn2an's "smart") also reads digit by digit (一二 -> 12, 二〇二五 ->
    2025) and the spoken shortening (一万二 -> 12000); ``strict`` reads well-formed numerals only."""
    text = text.replace("廿", "二十").replace("零十", "零一十").replace("零百", "零一百")
    allowed = _STRICT_DIGITS if strict else DIGITS
    if not text or any(c not in allowed and c not in UNITS for c in text):
        return None
    if strict:
        return _value(text) if _STRICT.match(text) else None
    for pattern, repl in _NORMALISE:
        text = pattern.sub(repl, text)
    text = text.replace("零十", "零一十").replace("零拾", "零一拾")
    if _NORMAL.match(text):
        return _value(text)
    if all(c in DIGITS for c in text):
        return int("".join(str(DIGITS[c]) for c in text))
    spoken = _SPOKEN.fullmatch(text)
    if spoken and len(text) >= 3 and spoken.group(1) in _NEXT_LOWER:
        return _value(text + _NEXT_LOWER[spoken.group(1)])
    return None


def read_decimal(text: str, *, strict: bool = False) -> Decimal | None:
    """The number ``text`` spells, with 点 as the decimal point (八点五 -> 8.5, 零点七五 -> 0.75, 十二 ->
    12), or None. As cn2an reads it: the part before 点 as :func:`read_integer` reads it, the part after
    digit by digit (五 and 十 alone are not decimals: 八点十 is None)."""
    whole, point, fraction = text.partition("点")
    value = read_integer(whole, strict=strict)
    if value is None or not point:
        return None if value is None else Decimal(value)
    allowed = _STRICT_DIGITS if strict else DIGITS
    if not fraction or any(c not in allowed for c in fraction):
        return None
    return Decimal(f"{value}.{''.join(str(DIGITS[c]) for c in fraction)}")


def _value(numeral: str) -> int:
    """The value of a numeral, read from its last character (cn2an's ``__integer_convert``)."""
    total, unit, big = 0, 1, 1  # big: the current 万 / 亿 / 万亿 multiplier
    for i, c in enumerate(reversed(numeral)):
        if c in DIGITS:
            total += DIGITS[c] * unit
            continue
        unit = UNITS[c]
        if unit % 10_000 == 0:
            if unit > big:
                big = unit
            else:
                big *= unit
                unit = big
        if unit < big:
            unit *= big
        if i == len(numeral) - 1:  # a leading unit: 十五 is 一十五
            total += unit
    return total
