"""Contribution arithmetic with Decimal, rounded to the fen (half up) unless a region says otherwise."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def contribution(base: Decimal, rate_percent: Decimal, quantum: Decimal = FEN) -> Decimal:
    """Monthly contribution for ``base`` at ``rate_percent``: 5000 x 8% -> 400.00."""
    return (base * rate_percent / Decimal(100)).quantize(quantum, rounding=ROUND_HALF_UP)
