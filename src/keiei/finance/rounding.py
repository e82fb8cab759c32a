"""Thin wrappers over `keiei.money.to_yen`, the one rounding point, for the engine's hot loop.

Why: the engine rounds about twenty figures per plan year, and many of them are already
whole yen (round balances × round rates). Converting a whole exact value to `int` is not a
rounding, so these helpers return it directly and call `to_yen` only when there is a
fraction of a yen to round. Results are identical to calling `to_yen` every time.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from keiei.money import RoundingMode, to_yen


def yen(value: Decimal, rounding: RoundingMode) -> int:
    """`to_yen(value)` for an exact Decimal (a product of yen and ratios)."""
    numerator, denominator = value.as_integer_ratio()
    return numerator if denominator == 1 else to_yen(value, rounding)


def yen_quotient(numerator: int, denominator: int, rounding: RoundingMode) -> int:
    """`to_yen(numerator / denominator)` for integers, rounded once from the exact quotient."""
    quotient, remainder = divmod(numerator, denominator)
    return quotient if remainder == 0 else to_yen(Fraction(numerator, denominator), rounding)
