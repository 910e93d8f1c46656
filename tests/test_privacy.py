"""Personal data pasted by mistake is recognised; ordinary numbers are not."""

from __future__ import annotations

import random

import pytest

from bot.privacy import find_personal_data, luhn_valid, redact, ric_valid

VALID_ID = "11010519491231002X"  # the sample number from GB 11643


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (f"我的身份证是{VALID_ID}", ["id_number"]),
        (f"身份证 {VALID_ID.lower()} 帮我查一下", ["id_number"]),
        ("卡号 6222 0200 0000 0000 005", []),  # fails Luhn
        ("卡号 4111 1111 1111 1111", ["bank_card"]),
        ("电话13812345678", ["phone"]),
        ("+86 138 1234 5678", ["phone"]),
        ("基数5000每月交多少", []),
        ("430100", []),
        ("110105194912310021", ["id_number"]),  # wrong check digit, but shaped like an ID (birth date)
        ("12345678901234567890123", []),
        # Formatted as people write them (issue 15).
        ("身份证 430102 19900307 4515", ["id_number"]),
        ("430102-19900307-4515", ["id_number"]),
        ("4301.0219.9003.0745.15", ["id_number"]),
        ("138.1234.5678", ["phone"]),
        ("(138)1234-5678", ["phone"]),
        ("（138）1234－5678", ["phone"]),
        ("+86 (138) 1234 5678", ["phone"]),
        ("4111.1111.1111.1111", ["bank_card"]),
        ("13812345678 430102199003074515", ["id_number", "phone"]),
        ("基数6000.5每月交多少", []),
        ("2025.01.01 到 2025.12.31", []),
        ("0731-12393", []),
        ("我交了 1200 元 和 380 元", []),
        ("1.2.3.4.5.6.7.8.9.0.1", []),
    ],
)
def test_detection(text: str, kinds: list[str]) -> None:
    assert find_personal_data(text).kinds == kinds


def test_redact_masks_everything() -> None:
    out = redact(f"{VALID_ID} 4111111111111111 13812345678 基数5000")
    assert VALID_ID not in out and "4111111111111111" not in out and "13812345678" not in out
    assert "基数5000" in out


@pytest.mark.parametrize(
    "text", ["430102 19900307 4515", "138.1234.5678", "(138)1234-5678", "4111.1111.1111.1111"]
)
def test_redact_masks_formatted_numbers(text: str) -> None:
    out = redact(f"前{text}后")
    assert out.startswith("前") and out.endswith("后") and not any(ch.isdigit() for ch in out)


def test_an_id_shaped_number_with_a_wrong_check_digit_is_an_id_number() -> None:
    """An 18-digit number with a birth date where an ID has one is named an ID number, even when its
    check digit is wrong and it happens to pass the bank-card checksum."""
    from stdnum import luhn
    from stdnum.cn import ric

    candidates = (f"43010219900101{k:03d}{d}" for k in range(1000) for d in "0123456789")
    number = next(n for n in candidates if luhn.is_valid(n) and not ric.is_valid(n))
    found = find_personal_data(f"我的号码是{number}")
    assert found.id_number and not found.bank_card


def test_checksums_agree_with_python_stdnum() -> None:
    """The ID check character and bank-card Luhn checks are the ones python-stdnum computes (a test
    dependency only: importing it costs 1.35 MiB of resident memory with the pydoc it imports)."""
    from stdnum import luhn
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    rng = random.Random(18)
    ids = ["11010519491231002X", VALID_ID.lower(), "430102199003074515", "110105194912310021"]
    for _ in range(3000):
        body = f"{rng.randint(110000, 659999)}{rng.randint(1900, 2030)}{rng.randint(1, 13):02d}"
        body += f"{rng.randint(1, 32):02d}{rng.randint(0, 999):03d}"
        right = ric.calc_check_digit(body + "0")
        ids += [body + right, body + rng.choice("0123456789X".replace(right, ""))]
    for number in ids:
        try:
            ric.get_birth_date(number)
            dated = True
        except ValidationError:
            dated = False
        assert ric_valid(number) == (number[-1].upper() == ric.calc_check_digit(number) and dated), number
        assert ric_valid(number) or not ric.is_valid(number)  # stdnum also checks the birth place
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 20)))
        for number in (digits, digits + luhn.calc_check_digit(digits)):
            assert luhn_valid(number) == luhn.is_valid(number), number
    assert not luhn_valid("4111 1111 1111 1111") and not luhn_valid("４１１１")  # digits only, ASCII only
