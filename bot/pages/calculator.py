"""The contribution calculator: pure Decimal arithmetic over one region's figures. No I/O, no text.

Flexible employees pay ``base x rate`` every month. The base is chosen within the region's floor and
ceiling, or as a percent tier of the average wage. A base the user types is checked against those limits
and explained when outside them, never silently clamped. Residents pay a fixed yearly amount; subsidised
groups pay less. Money is rounded the way the region states (to the fen unless the flow says otherwise).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.catalog.models import Figures, Identity
from bot.money import Rounding, contribution, round_money

MONTHS = 12
# Bases above this are surely a typo (or an annual figure); answered as "not a monthly base".
MAX_BASE = Decimal("1000000")
_NUMBER = re.compile(
    r"^(?:基数)?[:：]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(?:元|块|rmb|cny)?(?:/?每?月)?$"
)


def parse_base(text: str) -> Decimal | None:
    """A monthly base typed by the user ("5000", "5,000元", "５０００", "基数 4500.5"), or None."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    m = _NUMBER.match(folded)
    if not m:
        return None
    try:
        value = Decimal(m.group(1).replace(",", "") + (f".{m.group(2)}" if m.group(2) else ""))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    return value


@dataclass(frozen=True)
class Amount:
    """A monthly base and what it costs per month and per year."""

    base: Decimal
    monthly: Decimal
    yearly: Decimal
    percent: Decimal | None = None  # the tier, when the base is a percent of the average wage


@dataclass(frozen=True)
class BaseCheck:
    """A base the user typed, checked against the region's limits.

    ``status`` is ``ok`` (within the limits), ``below`` / ``above`` (outside: ``allowed`` is the nearest
    base the region accepts), ``unchecked`` (the limits are not known) or ``too_large``.
    """

    entered: Decimal
    status: str
    amount: Amount | None  # the cost at the entered base; None when the base is not allowed
    allowed: Amount | None = None  # the cost at the nearest allowed base, when outside the limits


@dataclass(frozen=True)
class FlexibleQuote:
    """Everything the calculator can say for a flexible employee in one region."""

    rate: Decimal | None
    floor: Decimal | None
    ceiling: Decimal | None
    limits_derived: bool  # True when floor/ceiling come from average wage x lowest/highest tier
    tiers: tuple[Amount, ...]
    edges: tuple[Amount, ...]  # amounts at the floor and ceiling when no tiers can be computed
    check: BaseCheck | None
    rounding: Rounding

    @property
    def can_compute(self) -> bool:
        """True when the rate is known, so any base can be priced."""
        return self.rate is not None


def _amount(base: Decimal, rate: Decimal, rounding: Rounding, percent: Decimal | None = None) -> Amount:
    monthly = contribution(base, rate, rounding)
    return Amount(base=base, monthly=monthly, yearly=monthly * MONTHS, percent=percent)


def _limits(f: Figures) -> tuple[Decimal | None, Decimal | None, bool]:
    floor = f.base_floor.value if f.base_floor.known else None
    ceiling = f.base_ceiling.value if f.base_ceiling.known else None
    derived = False
    if f.average_wage.known and f.tiers.known and f.tiers.value:
        avg, tiers = f.average_wage.value, f.tiers.value
        assert avg is not None
        if floor is None:
            floor, derived = round_money(avg * min(tiers) / 100), True
        if ceiling is None:
            ceiling, derived = round_money(avg * max(tiers) / 100), True
    return floor, ceiling, derived


def _within(base: Decimal, floor: Decimal | None, ceiling: Decimal | None) -> Decimal:
    """A tier's base kept inside the stated limits (a stated 60% floor of 4183 beats 6971 x 60% = 4182.6)."""
    if floor is not None and base < floor:
        return floor
    if ceiling is not None and base > ceiling:
        return ceiling
    return base


def check_base(
    entered: Decimal,
    rate: Decimal | None,
    floor: Decimal | None,
    ceiling: Decimal | None,
    rounding: Rounding = "fen",
) -> BaseCheck:
    """Price ``entered`` if it is allowed; otherwise say why and price the nearest allowed base."""
    if entered > MAX_BASE:
        return BaseCheck(entered, "too_large", None)

    def price(base: Decimal) -> Amount | None:
        return _amount(base, rate, rounding) if rate is not None else None

    if floor is not None and entered < floor:
        return BaseCheck(entered, "below", None, price(floor))
    if ceiling is not None and entered > ceiling:
        return BaseCheck(entered, "above", None, price(ceiling))
    status = "ok" if floor is not None and ceiling is not None else "unchecked"
    return BaseCheck(entered, status, price(entered))


_RATE = re.compile(r"(?:费率|缴费比例|比例|rate)\s*[:：为是]?\s*(\d{1,2}(?:\.\d{1,3})?)\s*%?")
_BASE_WORD = re.compile(r"(?:基数)\s*[:：为是]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")


def parse_rate_and_base(text: str) -> tuple[Decimal | None, Decimal | None]:
    """A rate ("费率9%", "费率 8.5") and optional base ("基数5000") typed together, else (None, None)."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    m = _RATE.search(folded)
    if not m:
        return None, None
    rate = Decimal(m.group(1))
    if not Decimal(0) < rate <= Decimal(100):
        return None, None
    b = _BASE_WORD.search(folded)
    base = Decimal(b.group(1).replace(",", "") + (f".{b.group(2)}" if b.group(2) else "")) if b else None
    return rate, base


def flexible_quote(
    identity: Identity, base: Decimal | None = None, typed_rate: Decimal | None = None
) -> FlexibleQuote:
    """Monthly and yearly amounts at each tier the region allows, and at ``base`` when given.

    ``typed_rate`` (a rate the user read off the tax app or a notice) is used only when the region's
    rate is not known."""
    f, rounding = identity.figures, identity.rounding
    rate = f.rate.value if f.rate.known else typed_rate
    floor, ceiling, derived = _limits(f)
    tiers: tuple[Amount, ...] = ()
    edges: tuple[Amount, ...] = ()
    if rate is not None:
        if f.average_wage.known and f.tiers.known and f.tiers.value:
            avg = f.average_wage.value
            assert avg is not None
            tiers = tuple(
                _amount(_within(round_money(avg * p / 100), floor, ceiling), rate, rounding, percent=p)
                for p in sorted(f.tiers.value)
            )
        else:
            edges = tuple(_amount(b, rate, rounding) for b in (floor, ceiling) if b is not None)
    check = check_base(base, rate, floor, ceiling, rounding) if base is not None else None
    return FlexibleQuote(rate, floor, ceiling, derived, tiers, edges, check, rounding)


@dataclass(frozen=True)
class ResidentQuote:
    """The yearly personal amount for residents (None when unknown) and the subsidised groups."""

    amount: Decimal | None
    subsidies: tuple[tuple[str, Decimal | None], ...]


def resident_quote(identity: Identity) -> ResidentQuote:
    """The resident's yearly amount and what each subsidised group pays, as the flows state them."""
    f = identity.figures
    amount = round_money(f.amount.value, identity.rounding) if f.amount.value is not None else None
    return ResidentQuote(amount, tuple((s.group, s.amount) for s in identity.subsidies))
