"""法人税等 of a plan year (`keiei.finance.tax.income_taxes`): hand-worked cases and properties.

Why this file: the property test used to recompute the tax with the very function under test,
which can never fail. Here the expected amounts are worked by hand (the working is in the
comments), and the properties state what any correct tax must satisfy — never more than the
top rate, never less than 均等割, not decreasing as income grows, the marginal rate of each
known bracket — without re-implementing the formula.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keiei.finance.tax import income_taxes
from keiei.plan.model import Tax

# The example's 中小法人 parameters: 33.5 % effective, 25 % on the first 8,000,000 yen, 均等割 70,000.
SME = Tax(
    rate=Decimal("0.335"), per_capita=70_000, reduced_rate=Decimal("0.25"), reduced_limit=8_000_000
)  # fmt: skip
FLAT = Tax(rate=Decimal("0.3"), per_capita=70_000)


@pytest.mark.parametrize(
    ("pretax", "carry", "tax", "expected"),
    [
        # A loss: only 均等割; the 5,000,000 loss joins the 10,000,000 carried forward.
        (-5_000_000, 10_000_000, SME, (70_000, 15_000_000)),
        # Break-even: 均等割, the carry-forward untouched.
        (0, 3_000_000, SME, (70_000, 3_000_000)),
        # Inside the reduced bracket: 6,000,000 × 25 % = 1,500,000; + 70,000.
        (6_000_000, 0, SME, (1_570_000, 0)),
        # Across it: 8,000,000 × 25 % = 2,000,000; 12,000,000 × 33.5 % = 4,020,000; + 70,000.
        (20_000_000, 0, SME, (6_090_000, 0)),
        # Carry-forward first (100 % for a 中小法人): 20M − 15M = 5M taxed; 5M × 25 % = 1,250,000 + 70,000.
        (20_000_000, 15_000_000, SME, (1_320_000, 0)),
        # More carried forward than earned: all 20M offset, 5M left; only 均等割.
        (20_000_000, 25_000_000, SME, (70_000, 5_000_000)),
        # The example's 2030-03: 35,139,427 − 9,550,861 = 25,588,566 taxed; 2,000,000
        # + 17,588,566 × 33.5 % = 5,892,169.61 → 5,892,170 (half up); + 70,000 = 7,962,170.
        (35_139_427, 9_550_861, SME, (7_962_170, 0)),
        # Flat rate: 1,234,565 × 30 % = 370,369.5 → 370,370 (half up); + 70,000.
        (1_234_565, 0, FLAT, (440_370, 0)),
    ],
)
def test_hand_worked(pretax: int, carry: int, tax: Tax, expected: tuple[int, int]) -> None:
    assert income_taxes(pretax, carry, tax, "half_up") == expected


def test_offset_limit_of_a_large_company() -> None:
    # 50 % of income may be offset: 20,000,000 × 50 % = 10,000,000 used of 15,000,000 (5,000,000 left);
    # 10,000,000 taxed = 8,000,000 × 25 % + 2,000,000 × 33.5 % = 2,000,000 + 670,000; + 70,000.
    large = Tax(
        rate=Decimal("0.335"), per_capita=70_000, offset_limit=Decimal("0.5"),
        reduced_rate=Decimal("0.25"), reduced_limit=8_000_000,
    )  # fmt: skip
    assert income_taxes(20_000_000, 15_000_000, large, "half_up") == (2_740_000, 5_000_000)


def test_rounding_mode_is_the_plans() -> None:
    # 1,234,565 × 30 % = 370,369.5: truncated 370,369, half up 370,370.
    assert income_taxes(1_234_565, 0, FLAT, "truncate")[0] == 440_369
    assert income_taxes(1_234_565, 0, FLAT, "half_up")[0] == 440_370


INCOME = st.integers(-(10**10), 10**10)
CARRY = st.integers(0, 10**10)


@given(INCOME, CARRY)
def test_bounds(pretax: int, carry: int) -> None:
    """均等割 ≤ tax ≤ 均等割 + income × top rate (+1 yen of rounding); the carry-forward never goes
    negative, grows by exactly a loss, and shrinks by at most the income."""
    tax, after = income_taxes(pretax, carry, SME, "half_up")
    assert tax >= SME.per_capita
    assert tax <= SME.per_capita + max(pretax, 0) * SME.rate + 1
    assert after >= 0
    if pretax <= 0:
        assert after == carry - pretax
    else:
        assert carry - pretax <= after <= carry


@given(st.integers(0, 10**10), st.integers(0, 10**9), CARRY)
def test_more_income_never_less_tax(pretax: int, more: int, carry: int) -> None:
    assert income_taxes(pretax + more, carry, SME, "half_up")[0] >= income_taxes(pretax, carry, SME, "half_up")[0]


@given(st.integers(0, 7_000_000))
def test_marginal_rate_in_the_reduced_bracket(pretax: int) -> None:
    """One more million inside the first 8,000,000 yen costs 25 % of it (±1 yen of rounding)."""
    step = income_taxes(pretax + 1_000_000, 0, SME, "half_up")[0] - income_taxes(pretax, 0, SME, "half_up")[0]
    assert abs(step - 250_000) <= 1


@given(st.integers(8_000_000, 10**10))
def test_marginal_rate_above_the_reduced_bracket(pretax: int) -> None:
    """Above 8,000,000 yen one more million costs 33.5 % of it (±1 yen of rounding)."""
    step = income_taxes(pretax + 1_000_000, 0, SME, "half_up")[0] - income_taxes(pretax, 0, SME, "half_up")[0]
    assert abs(step - 335_000) <= 1


@given(st.integers(1, 10**10), CARRY)
def test_carry_forward_is_used_before_any_tax(pretax: int, carry: int) -> None:
    """While the carry-forward covers the income, only 均等割 is due."""
    tax, after = income_taxes(pretax, carry, SME, "half_up")
    if carry >= pretax:
        assert (tax, after) == (SME.per_capita, carry - pretax)
    else:
        assert after == 0 and tax >= SME.per_capita
