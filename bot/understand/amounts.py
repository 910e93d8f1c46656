"""A money figure in a message: 基数13800, 5000块, 1.2万, 3k, 一万二, 两千五.

Chinese numerals are read by ``numerals.read_integer`` (as cn2an reads them); which numbers are money is
decided by the words around them, all from ``flows/vocabulary.yaml`` (units after, cues before or after,
non-money units such as 年/岁/% after).
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.understand.lexicon import Lexicon
from bot.understand.numerals import read_integer

# Number syntax, not vocabulary: Arabic figures (with thousands separators: 8,000 and 8，000, which NFKC
# folds to a comma), and the characters Chinese numerals are written with.
_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?")
# Financial forms too (叁仟伍佰, as written on receipts); read_integer reads both.
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+")
_MAGNITUDE = frozenset("百千万亿佰仟")
# A figure standing alone (no unit, no cue) counts as money only in this range.
_BARE_MIN, _BARE_MAX = Decimal(100), Decimal(10_000_000)
_CUE_GAP = 2  # characters allowed between a cue and its figure: 基数是5000, 工资大概8000


def find_amount(key: str, lex: Lexicon) -> Decimal | None:
    """The money figure in the folded message ``key``, or None. A figure after a cue (基数, 工资) wins
    over one with a unit (元, 块), which wins over a bare figure; then the first one. A word that is no
    money unit after a figure (个月, 岁, 人) makes it no money, unless a cue comes right before a sum of at
    least 100 that is no year (基数4千5 月缴多少, 交了300 月底前还要交吗: the space before 月 is gone)."""
    best: tuple[int, int, Decimal] | None = None
    for start, end, value in _figures(key, lex):
        rest = key[end:]
        if any(c in key[max(0, start - _CUE_GAP - len(c)) : start] for c in lex.id_number_cues):
            continue  # 身份证号后四位是1234: a number that identifies
        head = key[max(0, start - _CUE_GAP - 4) : start]
        before = any(c in head and len(head) - head.rindex(c) - len(c) <= _CUE_GAP for c in lex.money_cues)
        if any(rest.startswith(u) for u in lex.not_money_units) and not (
            before and value >= _BARE_MIN and not _year(key[start:end])
        ):
            continue  # 3个月, 35岁; but a cue before a sum beats the word after it (基数4千5 月缴多少)
        cue = before or any(rest.startswith(c) for c in lex.money_cues_after)  # 2000的基数
        unit = any(rest.startswith(u) for u in lex.money_units)
        if not (cue or unit) and not _bare_money(key[start:end], value, lex):
            continue
        if not cue and any(c in key[max(0, start - _CUE_GAP - 2) : start] for c in lex.not_money_cues):
            continue  # 打95588, 电话是12345: a number to call
        rank = 2 if cue else 1 if unit else 0
        if best is None or rank > best[0]:
            best = (rank, start, value)
    return best[2] if best else None


def figure_spans(key: str, lex: Lexicon) -> list[tuple[int, int]]:
    """(start, end) of every figure in the folded message ``key``, money or not."""
    return [(start, end) for start, end, _ in _figures(key, lex)]


def _year(text: str) -> bool:
    return text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100


def _bare_money(text: str, value: Decimal, lex: Lexicon) -> bool:
    year = _year(text)
    service = text.isdigit() and len(text) == 5 and text.startswith(lex.service_number_prefixes)
    return _BARE_MIN <= value <= _BARE_MAX and not year and not service and text not in lex.hotline_numbers


def _figures(key: str, lex: Lexicon) -> list[tuple[int, int, Decimal]]:
    """(start, end, value) of every figure, a multiplier such as 万 or k included in the span."""
    out = []
    for m in _ARABIC.finditer(key):
        if m.start() > 0 and key[m.start() - 1] == ".":
            continue
        value, end = Decimal(m.group().replace(",", "")), m.end()
        for word, factor in lex.multipliers.items():
            if key.startswith(word, end):
                after = key[end + len(word) : end + len(word) + 1]
                if word.isascii() and after.isascii() and after.isalpha():
                    continue  # 5kg is not 5000
                value, end = value * factor, end + len(word)
                # 4千2 is 4200, 1万5 is 15000: one digit after the multiplier is its next place.
                tail = key[end : end + 2]
                if not word.isascii() and tail[:1].isdigit() and not tail[1:].isdigit():
                    value, end = value + Decimal(tail[0]) * factor / 10, end + 1
                break
        out.append((m.start(), end, value))
    for m in _CHINESE.finditer(key):
        parsed = _chinese(m.group())
        if parsed is None:
            continue
        text, value = parsed
        end = m.start() + len(text)
        if any(key.endswith(v, 0, m.start()) for v in lex.vague_numbers):
            continue  # 几十块, 几百块: no figure
        if _MAGNITUDE.isdisjoint(text) and not any(key.startswith(u, end) for u in lex.money_units):
            continue  # 一个, 三个月, 二十: not money unless a unit follows (二十块)
        out.append((m.start(), end, value))
    return out


def _chinese(run: str) -> tuple[str, Decimal] | None:
    """The longest prefix of a run of numeral characters that reads as a number (一万二一个月 -> 一万二)."""
    for n in range(len(run), 0, -1):
        value = read_integer(run[:n])
        if value is not None:
            return run[:n], Decimal(value)
    return None
