"""Money: integer yen and Decimal, never float.

Rounding to whole yen happens in exactly one place, `to_yen`, with the mode named by the
programme rules (`common.yen_rounding`, default truncate — an unconfirmed rule, see
docs/rules.md). Everything else keeps exact `Decimal` / `Fraction` values until then.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

Yen = int
RoundingMode = Literal["truncate", "half_up"]


def to_yen(amount: Decimal | Fraction | int, mode: RoundingMode = "truncate") -> Yen:
    """Round an exact amount to whole yen: the only rounding point in keiei.

    `truncate` cuts fractions of a yen toward zero (切り捨て); `half_up` rounds halves away
    from zero (四捨五入). Both paths are exact for any size of amount: integer divmod for a
    Fraction, `to_integral_value` (which ignores the context precision) for a Decimal.
    """
    if isinstance(amount, int):
        return amount
    if isinstance(amount, Decimal):
        # to_integral_value is exact whatever the context precision, and ~10x faster than
        # going through Fraction (this is on the projection engine's hot path).
        rounding = ROUND_DOWN if mode == "truncate" else ROUND_HALF_UP
        return int(amount.to_integral_value(rounding=rounding))
    magnitude = abs(amount)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    if mode == "half_up" and rest * 2 >= magnitude.denominator:
        whole += 1
    return -whole if amount < 0 else whole


def format_yen(amount: Yen, *, unit: str = "円", negative_mark: str = "△") -> str:
    """Japanese display: thousands separators, negatives as △ (the convention banks read)."""
    sign = negative_mark if amount < 0 else ""
    return f"{sign}{abs(amount):,}{unit}"


def format_thousand_yen(amount: Yen, *, negative_mark: str = "△") -> str:
    """千円 display, truncated toward zero as Japanese statements do."""
    thousands = int(Decimal(amount) / 1000)
    sign = negative_mark if amount < 0 and thousands != 0 else ""
    return f"{sign}{abs(thousands):,}"
