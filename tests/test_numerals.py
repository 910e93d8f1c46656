"""The Chinese-numeral reader (bot/understand/numerals.py) reads what cn2an reads, as cn2an reads it.

cn2an is a test dependency only: at run time it would bring ``proces`` (2.2 MiB resident) along.
"""

from __future__ import annotations

import itertools
import random
import warnings
from decimal import Decimal

import cn2an
import pytest

from bot.understand.numerals import DIGITS, UNITS, read_decimal, read_integer, write_tens

# What the callers pass: runs of these characters (understand/amounts.py, tools/notice.py), and the last
# one to three characters before 号/日 in a reminder request (reminders/typed.py, strict).
SIMPLE = "零〇一二两三四五六七八九十百千万亿"
EVERY = "".join(DIGITS) + "".join(UNITS) + "廿"


def _cn2an(text: str, strict: bool) -> int | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = cn2an.cn2an(text, "strict" if strict else "smart")
        except (ValueError, KeyError, IndexError, TypeError):
            return None
    assert value == int(value), text
    return int(value)


def _strings(alphabet: str, longest: int) -> list[str]:
    return ["".join(p) for n in range(1, longest + 1) for p in itertools.product(alphabet, repeat=n)]


@pytest.mark.parametrize(
    ("text", "smart", "strict"),
    [
        ("一万二", 12000, None),
        ("两千五", 2500, None),
        ("二〇二五", 2025, None),
        ("一二", 12, None),
        ("十五", 15, 15),
        ("廿五", 25, 25),
        ("三十一", 31, 31),
        ("一千零十一", 1011, 1011),
        ("十万零一千", 101000, None),
        ("一百二十五万三", 1253000, None),
        ("五万亿", 5 * 10**12, 5 * 10**12),
        ("万", None, None),
        ("十三号", None, None),
        ("", None, None),
    ],
)
def test_examples(text: str, smart: int | None, strict: int | None) -> None:
    """Spoken shortenings, digit-by-digit years and well-formed numerals; strict takes the last only."""
    assert read_integer(text) == smart
    assert read_integer(text, strict=True) == strict


@pytest.mark.slow
@pytest.mark.parametrize("strict", [False, True], ids=["smart", "strict"])
def test_agrees_with_cn2an_on_every_short_string(strict: bool) -> None:
    """Every string of up to four simplified numeral characters, and of up to three of every numeral
    character cn2an knows (financial forms, 幺, 廿) and one that is none (号)."""
    texts = set(_strings(SIMPLE, 4)) | set(_strings(EVERY + "号", 3))
    wrong = {t: (read_integer(t, strict=strict), _cn2an(t, strict)) for t in sorted(texts)}
    wrong = {t: got for t, got in wrong.items() if got[0] != got[1]}
    assert not wrong, list(wrong.items())[:20]


@pytest.mark.slow
def test_agrees_with_cn2an_on_long_numerals() -> None:
    """Long numerals as cn2an writes them (every integer below 20,000, and large ones), and random
    runs of five to nine numeral characters."""
    rng = random.Random(18)
    texts = [cn2an.an2cn(n) for n in range(20_000)]
    texts += [cn2an.an2cn(rng.randrange(10**16)) for _ in range(2_000)]
    texts += ["".join(rng.choices(SIMPLE, k=rng.randint(5, 9))) for _ in range(10_000)]
    for strict in (False, True):
        wrong = [(t, read_integer(t, strict=strict), _cn2an(t, strict)) for t in texts]
        wrong = [w for w in wrong if w[1] != w[2]]
        assert not wrong, wrong[:20]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("八点五", Decimal("8.5")),
        ("零点七五", Decimal("0.75")),
        ("十二点二五", Decimal("12.25")),
        ("一百", Decimal(100)),
        ("八点", None),
        ("点五", None),
        ("八点十", None),
        ("八点五点五", None),
    ],
)
def test_read_decimal(text: str, value: Decimal | None) -> None:
    assert read_decimal(text) == value


def test_read_decimal_reads_what_cn2an_reads() -> None:
    """Every whole part of up to two characters with a fraction of one or two digits, as cn2an reads it."""
    digits = "零一二两三四五六七八九"
    for whole in _strings(SIMPLE, 2):
        for fraction in _strings(digits, 2):
            text = f"{whole}点{fraction}"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    expected = Decimal(str(cn2an.cn2an(text, "smart")))
                except (ValueError, KeyError, IndexError, TypeError):
                    expected = None
            got = read_decimal(text)
            if expected is None:
                continue  # cn2an refuses some that the integer reader accepts (compared above)
            assert got is not None and got == expected, text


@pytest.mark.parametrize("n", range(10, 100))
def test_write_tens_reads_back(n: int) -> None:
    assert read_integer(write_tens(n), strict=True) == n


def test_write_tens_refuses_other_numbers() -> None:
    assert (write_tens(10), write_tens(60), write_tens(73)) == ("十", "六十", "七十三")
    for n in (9, 100):
        with pytest.raises(ValueError):
            write_tens(n)
