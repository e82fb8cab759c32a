"""The rule of `keiei.money.to_yen`, the one rounding point, in the forms the engine's hot loop needs.

Why: the engine rounds about twenty figures per plan year, thousands of plans per second in
batch runs. `to_yen` is general (int, Decimal or Fraction, mode as a string, a keyword call
into `decimal`); here the same rule is bound once per projection to the plan's mode:

- `decimal_rounder(mode)(value)` for an exact Decimal (a product of yen and ratios):
  `truncate` is `int(value)` (Decimal → int cuts toward zero, as `ROUND_DOWN` does) and
  `half_up` is `int(value.to_integral_value(ROUND_HALF_UP))`, exactly what `to_yen` does;
- `quotient_rounder(mode)(numerator, denominator)` for the exact quotient of two integers,
  in integer arithmetic: the floor division `to_yen` does on a Fraction's magnitude, without
  building the Fraction.

Results are identical to `to_yen` for every input (tests/finance/test_rounding.py checks them
against it); whole values come out unchanged, which is not a rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from keiei.money import RoundingMode

DecimalRounder = Callable[[Decimal], int]
QuotientRounder = Callable[[int, int], int]


def _truncate_decimal(value: Decimal) -> int:
    return int(value)


def _half_up_decimal(value: Decimal) -> int:
    return int(value.to_integral_value(ROUND_HALF_UP))


def _truncate_quotient(numerator: int, denominator: int) -> int:
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(numerator, denominator)
    # floor division rounds a negative fraction down; truncation goes toward zero
    return quotient + 1 if remainder and numerator < 0 else quotient


def _half_up_quotient(numerator: int, denominator: int) -> int:
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(numerator, denominator)
    if not remainder:
        return quotient
    if numerator >= 0:
        return quotient + 1 if 2 * remainder >= denominator else quotient
    # |n/d| = (−quotient − 1) + (denominator − remainder)/denominator: halves go away from zero
    return quotient if 2 * (denominator - remainder) >= denominator else quotient + 1


_DECIMAL: dict[str, DecimalRounder] = {"truncate": _truncate_decimal, "half_up": _half_up_decimal}
_QUOTIENT: dict[str, QuotientRounder] = {"truncate": _truncate_quotient, "half_up": _half_up_quotient}


def decimal_rounder(rounding: RoundingMode) -> DecimalRounder:
    """`value ↦ to_yen(value, rounding)` for an exact Decimal."""
    return _DECIMAL[rounding]


def quotient_rounder(rounding: RoundingMode) -> QuotientRounder:
    """`(n, d) ↦ to_yen(Fraction(n, d), rounding)` for integers, d ≠ 0."""
    return _QUOTIENT[rounding]


def yen(value: Decimal, rounding: RoundingMode) -> int:
    """`to_yen(value, rounding)` for an exact Decimal (a product of yen and ratios)."""
    return _DECIMAL[rounding](value)


def yen_quotient(numerator: int, denominator: int, rounding: RoundingMode) -> int:
    """`to_yen(numerator / denominator)` for integers, rounded once from the exact quotient."""
    return _QUOTIENT[rounding](numerator, denominator)
