"""The engine's fast record constructors build the very records the dataclasses' own __init__ builds."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from keiei.finance.statements import (
    BS,
    CF,
    PL,
    BankResult,
    Indicators,
    LoanResult,
    PlanDetails,
    YearResult,
    make_bs,
    make_pl,
    new_bank_result,
    new_bs,
    new_cf,
    new_details,
    new_indicators,
    new_loan_result,
    new_pl,
    new_year,
)

CONSTRUCTORS: list[tuple[type[Any], Any]] = [
    (PL, new_pl),
    (BS, new_bs),
    (CF, new_cf),
    (Indicators, new_indicators),
    (PlanDetails, new_details),
    (YearResult, new_year),
    (LoanResult, new_loan_result),
    (BankResult, new_bank_result),
]


@pytest.mark.parametrize(("cls", "make"), CONSTRUCTORS, ids=[c.__name__ for c, _ in CONSTRUCTORS])
def test_fast_constructor_builds_the_same_frozen_record(cls: type[Any], make: Any) -> None:
    values = [(i + 1) * 1_000 if i % 3 else Decimal(i) / 7 for i, _ in enumerate(dataclasses.fields(cls))]
    fast, regular = make(*values), cls(*values)
    assert type(fast) is cls
    assert fast == regular and hash(fast) == hash(regular) and repr(fast) == repr(regular)
    assert dataclasses.astuple(fast) == tuple(values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(fast, dataclasses.fields(cls)[0].name, 0)
    with pytest.raises(TypeError):
        make(*values[:-1])  # every field is passed, defaults included


def test_positional_builders_equal_the_keyword_builders() -> None:
    amounts = dict(
        sales=1_000,
        cost_of_sales=600,
        sga=300,
        non_operating_income=20,
        non_operating_expenses=50,
        interest_expense=40,
        extraordinary_income=7,
        extraordinary_loss=9,
        income_taxes=11,
        depreciation=30,
    )
    assert make_pl(*amounts.values()) == PL.build(**amounts)
    lines = dict(
        cash=10,
        receivables=20,
        inventory=30,
        other_current_assets=4,
        fixed_assets=50,
        payables=15,
        interest_bearing_debt=60,
        other_liabilities=5,
    )
    assert make_bs(*lines.values(), None, -7) == BS.build(**lines, net_assets=None, adjustment=-7)
    assert make_bs(*lines.values(), 99) == BS.build(**lines, net_assets=99)
