"""The contribution calculator: Decimal arithmetic, tiers, limits explained (never clamped), rounding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.catalog.models import Identity
from bot.pages.calculator import check_base, flexible_quote, parse_base, resident_quote, round_money

PROVENANCE = {
    "year": 2025,
    "source": "test notice",
    "source_kind": "official",
    "retrieved": dt.date(2026, 11, 23),
}


def identity(rounding: str = "fen", subsidies: list | None = None, **figures: object) -> Identity:
    figs = {name: {"value": value, **PROVENANCE} for name, value in figures.items()}
    return Identity.model_validate(
        {
            "label": "x",
            "summary": "x",
            "coverage_start": "x",
            "channels": {},
            "figures": figs,
            "rounding": rounding,
            "subsidies": subsidies or [],
        }
    )


def test_worked_example_5000_at_60_percent_and_8_percent_is_240() -> None:
    q = flexible_quote(identity(average_wage=5000, tiers=[60, 100, 300], rate=8))
    first = q.tiers[0]
    assert (first.percent, first.base, first.monthly, first.yearly) == (60, Decimal(3000), Decimal(240), 2880)
    assert [t.monthly for t in q.tiers] == [Decimal(240), Decimal(400), Decimal(1200)]
    # The limits follow from the average wage and the lowest/highest tier when not stated.
    assert (q.floor, q.ceiling, q.limits_derived) == (Decimal(3000), Decimal(15000), True)


def test_user_base_inside_limits_gives_monthly_and_yearly() -> None:
    q = flexible_quote(identity(base_floor=3000, base_ceiling=15000, rate=8), Decimal(5000))
    assert q.check is not None and q.check.status == "ok"
    assert (q.check.amount.monthly, q.check.amount.yearly) == (Decimal(400), Decimal(4800))
    assert [e.base for e in q.edges] == [Decimal(3000), Decimal(15000)]


@pytest.mark.parametrize(
    ("base", "status", "allowed"), [("2999.99", "below", "3000"), ("15000.01", "above", "15000")]
)
def test_base_outside_limits_is_explained_not_clamped(base: str, status: str, allowed: str) -> None:
    c = check_base(Decimal(base), Decimal(8), Decimal(3000), Decimal(15000))
    assert c.status == status
    assert c.amount is None, "an amount at a base the region does not accept must not be offered"
    assert c.allowed is not None and c.allowed.base == Decimal(allowed)


def test_unknown_limits_and_unknown_rate() -> None:
    c = check_base(Decimal(5000), Decimal(8), None, None)
    assert c.status == "unchecked" and c.amount is not None and c.amount.monthly == 400
    q = flexible_quote(identity(base_floor=3000), Decimal(5000))
    assert not q.can_compute and q.check is not None and q.check.amount is None
    assert q.tiers == () and q.edges == ()
    assert check_base(Decimal(10**7), Decimal(8), None, None).status == "too_large"


@pytest.mark.parametrize(("rounding", "expected"), [("fen", "254.41"), ("jiao", "254.4"), ("yuan", "254")])
def test_rounding_follows_the_region(rounding: str, expected: str) -> None:
    q = flexible_quote(identity(rounding, base_floor=2993, rate=8.5), Decimal(2993))
    assert q.check is not None and str(q.check.amount.monthly) == expected
    assert q.check.amount.yearly == Decimal(expected) * 12


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5000", "5000"),
        ("5,000元", "5000"),
        ("５０００", "5000"),
        ("基数 4500.5", "4500.5"),
        ("6000元/月", "6000"),
    ],
)
def test_parse_base(text: str, value: str) -> None:
    assert parse_base(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "湖南", "5千", "-5", "1.234", "5000 6000", "abc"])
def test_parse_base_rejects_non_numbers(text: str) -> None:
    assert parse_base(text) is None


@given(
    base=st.decimals(min_value=1, max_value=100000, places=2),
    rate=st.decimals(min_value="0.5", max_value=15, places=2),
)
def test_monthly_is_rounded_base_times_rate_and_yearly_is_twelve_months(base: Decimal, rate: Decimal) -> None:
    c = check_base(base, rate, None, None)
    assert c.amount is not None
    assert c.amount.monthly == round_money(base * rate / 100)
    assert c.amount.yearly == c.amount.monthly * 12


def test_resident_amount_and_subsidies() -> None:
    sub = {"group": "低保对象", "amount": 60, "text": "资助后个人缴纳", **PROVENANCE}
    q = resident_quote(identity(amount=400, subsidies=[sub]))
    assert q.amount == Decimal(400) and q.subsidies == (("低保对象", Decimal(60)),)
    assert resident_quote(identity()).amount is None


def test_tier_base_respects_a_stated_floor() -> None:
    q = flexible_quote(identity(average_wage=6971, base_floor=4183, tiers=[60, 100], rate=9))
    assert [t.base for t in q.tiers] == [Decimal(4183), Decimal(6971)]
    assert q.tiers[0].monthly == Decimal("376.47")
