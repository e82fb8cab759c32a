"""Money: integer yen and Decimal, never float.

Rounding to whole yen happens in exactly one place, `to_yen`, with the mode named by the
programme rules (`common.yen_rounding`, default truncate — an unconfirmed rule, see
docs/rules.md). Everything else keeps exact `Decimal` / `Fraction` values until then.
"""

from __future__ import annotations

from collections.abc import Sequence
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


THOUSAND = 1000


def in_units(amount: Yen, unit: int = THOUSAND) -> int:
    """`amount` in whole `unit`s, truncated toward zero (千円未満切捨て): keiei's one rule for a
    single figure shown in 千円 — the CLI, the criteria's texts and every document use it.

    Truncation rather than rounding because Japanese statements and bank schedules print
    千円未満切捨て, and a shown figure then never exceeds the real one (a cash balance or a
    repayment is never overstated).
    """
    whole = abs(amount) // unit
    return -whole if amount < 0 else whole


def apportion(amounts: Sequence[Yen], unit: int, target: int) -> list[int]:
    """Each of `amounts` in whole `unit`s so that they add up to `target` units where possible.

    Why: a table shown in 千円 whose parts are each truncated does not add up to its truncated
    total (a bank's 返済額計 2–3千円 off the sum of its years). Every part starts at its
    truncation (`in_units`) and, largest remainder first, the parts nearest the next unit
    move one unit toward it — so every part stays within one unit of its exact figure (its
    floor or its ceiling, never further), a part that is a whole number of units never moves,
    and the sum comes as close to `target` as those bounds allow (exactly `target` whenever
    Σ floor ≤ target ≤ Σ ceil). Ties go to the earlier part, so the result is deterministic.
    """
    shown = [in_units(a, unit) for a in amounts]
    gap = target - sum(shown)
    if gap == 0:
        return shown
    step = 1 if gap > 0 else -1
    # parts that may move one unit in the gap's direction, and how far they would then be off
    movable = [
        (abs((s + step) * unit - a), i)
        for i, (a, s) in enumerate(zip(amounts, shown, strict=True))
        if (s + step) * unit - a != 0 and abs((s + step) * unit - a) < unit
    ]
    for _, i in sorted(movable)[: abs(gap)]:
        shown[i] += step
    return shown


def format_thousand_yen(amount: Yen, *, negative_mark: str = "△") -> str:
    """千円 display, truncated toward zero as Japanese statements do (`in_units`)."""
    thousands = in_units(amount)
    sign = negative_mark if amount < 0 and thousands != 0 else ""
    return f"{sign}{abs(thousands):,}"
