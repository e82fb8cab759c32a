"""The engine's bound rounders give exactly what `keiei.money.to_yen` gives, for every input."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from keiei.finance.rounding import decimal_rounder, quotient_rounder, yen, yen_quotient
from keiei.money import RoundingMode, to_yen

MODES: tuple[RoundingMode, ...] = ("truncate", "half_up")
SETTINGS = settings(derandomize=True, max_examples=600, deadline=None)


def decimals() -> st.SearchStrategy[Decimal]:
    """Exact products as the engine makes them: any sign, up to 60 digits, halves included."""
    return st.builds(
        lambda coefficient, exponent: Decimal(coefficient).scaleb(exponent),
        st.one_of(st.integers(-(10**60) + 1, 10**60 - 1), st.sampled_from([5, -5, 15, -15, 25, -25, 49, 51, 0])),
        st.integers(-40, 3),
    )


@SETTINGS
@given(decimals(), st.sampled_from(MODES))
def test_decimal_rounder_is_to_yen(value: Decimal, mode: RoundingMode) -> None:
    with localcontext() as ctx:
        ctx.prec = 60
        assert decimal_rounder(mode)(value) == to_yen(value, mode) == yen(value, mode)


@SETTINGS
@given(st.integers(-(10**40), 10**40), st.integers(-(10**12), 10**12).filter(bool), st.sampled_from(MODES))
def test_quotient_rounder_is_to_yen_of_the_fraction(numerator: int, denominator: int, mode: RoundingMode) -> None:
    expected = to_yen(Fraction(numerator, denominator), mode)
    assert quotient_rounder(mode)(numerator, denominator) == expected == yen_quotient(numerator, denominator, mode)


def test_halves_go_away_from_zero_and_truncation_toward_zero() -> None:
    cases: dict[RoundingMode, list[tuple[int, int, int]]] = {
        "half_up": [(5, 2, 3), (-5, 2, -3), (7, 3, 2), (-7, 3, -2), (3, -2, -2), (1, 2, 1), (-1, 2, -1)],
        "truncate": [(5, 2, 2), (-5, 2, -2), (-7, 3, -2), (3, -2, -1), (-1, 2, 0)],
    }
    for mode, rows in cases.items():
        for n, d, expected in rows:
            assert quotient_rounder(mode)(n, d) == expected
            assert decimal_rounder(mode)(Decimal(n) / Decimal(d)) == expected
