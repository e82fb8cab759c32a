"""Money: integer yen and Decimal, never float.

Rounding to whole yen happens in exactly one place, `to_yen`, with the mode named by the
programme rules (`common.yen_rounding`, default truncate — an unconfirmed rule, see
docs/rules.md). Everything else keeps exact `Decimal` / `Fraction` values until then.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Literal

Yen = int
RoundingMode = Literal["truncate", "half_up"]


def to_yen(amount: Decimal | Fraction | int, mode: RoundingMode = "truncate") -> Yen:
    """Round an exact amount to whole yen: the only rounding point in keiei.

    `truncate` cuts fractions of a yen toward zero (切り捨て); `half_up` rounds halves away
    from zero (四捨五入). The arithmetic is exact integer arithmetic on a Fraction, so any size
    of amount is safe (Decimal's default 28-digit context would not be).
    """
    if isinstance(amount, int):
        return amount
    exact = Fraction(amount)
    magnitude = abs(exact)
    whole = magnitude.numerator // magnitude.denominator
    if mode == "half_up" and (magnitude - whole) * 2 >= 1:
        whole += 1
    return -whole if exact < 0 else whole


def format_yen(amount: Yen, *, unit: str = "円", negative_mark: str = "△") -> str:
    """Japanese display: thousands separators, negatives as △ (the convention banks read)."""
    sign = negative_mark if amount < 0 else ""
    return f"{sign}{abs(amount):,}{unit}"


def format_thousand_yen(amount: Yen, *, negative_mark: str = "△") -> str:
    """千円 display, truncated toward zero as Japanese statements do."""
    thousands = int(Decimal(amount) / 1000)
    sign = negative_mark if amount < 0 and thousands != 0 else ""
    return f"{sign}{abs(thousands):,}"
