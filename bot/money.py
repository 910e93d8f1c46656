"""Contribution arithmetic with Decimal, rounded half up to the region's unit (the fen by default).

The instructions page and the calculator both use these, so they always agree on an amount.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

# The unit a region rounds contributions to (a flow sets it per identity; fen when unset).
Rounding = Literal["fen", "jiao", "yuan"]

QUANTUM: dict[str, Decimal] = {"fen": Decimal("0.01"), "jiao": Decimal("0.1"), "yuan": Decimal("1")}


def round_money(value: Decimal, rounding: Rounding = "fen") -> Decimal:
    """Round half up to the region's unit."""
    return value.quantize(QUANTUM[rounding], rounding=ROUND_HALF_UP)


def contribution(base: Decimal, rate_percent: Decimal, rounding: Rounding = "fen") -> Decimal:
    """Monthly contribution for ``base`` at ``rate_percent``: 5000 x 8% -> 400.00."""
    return round_money(base * rate_percent / Decimal(100), rounding)
