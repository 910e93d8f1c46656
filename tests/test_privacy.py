"""Personal data pasted by mistake is recognised; ordinary numbers are not."""

from __future__ import annotations

import pytest

from bot.privacy import find_personal_data, redact

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
