"""The numeric criteria's parameters, read from the programme rules and checked once.

Why a typed copy of `rules_for(...).criteria`: the rules file holds a free mapping
(`{applies, ordinary_profit_within_years, negative_net_worth_within_years,
debt_repayment_years_max}`); a typo there must be one clear `RulesDataError` naming the key,
not a KeyError deep inside a verdict. The periods and the ceiling are rule parameters, never
constants in code (the ids keep their names when a value changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from keiei.criteria.model import APPLIES, Applies
from keiei.errors import RulesDataError
from keiei.rules import ProgramRules


@dataclass(frozen=True)
class NumericParameters:
    """`applies` and the three thresholds of the 協議会 / 中小版GL set."""

    applies: Applies
    ordinary_profit_within_years: int
    negative_net_worth_within_years: int
    debt_repayment_years_max: Decimal

    @classmethod
    def from_rules(cls, rules: ProgramRules) -> NumericParameters:
        raw: dict[str, Any] = dict(rules.criteria)
        where = f"{rules.program}.yaml: criteria"
        applies = raw.get("applies")
        if applies not in APPLIES:
            raise RulesDataError(
                f"{where}.applies",
                f"{', '.join(APPLIES)} のいずれかが必要です（値: {applies!r}）",
                f"applies must be one of {', '.join(APPLIES)}, got {applies!r}",
            )
        return cls(
            applies=cast(Applies, applies),
            ordinary_profit_within_years=_years(raw, "ordinary_profit_within_years", where),
            negative_net_worth_within_years=_years(raw, "negative_net_worth_within_years", where),
            debt_repayment_years_max=_ceiling(raw, "debt_repayment_years_max", where),
        )

    def as_dict(self) -> dict[str, object]:
        ceiling = self.debt_repayment_years_max
        return {
            "applies": self.applies,
            "ordinary_profit_within_years": self.ordinary_profit_within_years,
            "negative_net_worth_within_years": self.negative_net_worth_within_years,
            "debt_repayment_years_max": int(ceiling) if ceiling == ceiling.to_integral_value() else float(ceiling),
        }


def _years(raw: dict[str, Any], key: str, where: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RulesDataError(
            f"{where}.{key}",
            f"1 以上の整数（年）が必要です（値: {value!r}）",
            f"{key} must be a positive integer, got {value!r}",
        )
    return value


def _ceiling(raw: dict[str, Any], key: str, where: str) -> Decimal:
    value = raw.get(key)
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise InvalidOperation
        ceiling = Decimal(str(value))
        if not ceiling.is_finite() or ceiling <= 0:
            raise InvalidOperation
    except InvalidOperation:
        raise RulesDataError(
            f"{where}.{key}",
            f"正の数（年）が必要です（値: {value!r}）",
            f"{key} must be a positive number, got {value!r}",
        ) from None
    return ceiling
