"""The steps kit's months: a new cash-table column suggests the next month (keiei.plan.periods)."""

from __future__ import annotations

from typing import Any

import pytest

from keiei.plan.periods import Period
from keiei_web.plans import steps
from keiei_web.plans.steps.kit import period_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03", Period(2025, 3)),
        ("2025-12", Period(2025, 12)),
        ("2025-13", None),
        ("2025-00", None),
        ("2025/03", None),
        ("2025-3", None),
        ("ABCD-03", None),
        (202503, None),
        (None, None),
    ],
)
def test_period_of_takes_only_yyyy_mm(text: Any, expected: Period | None) -> None:
    assert period_of(text) == expected


def _new_column(doc: dict[str, Any]) -> tuple[str, str]:
    page = steps.build(steps.BY_SLUG["cash"], doc, add="cash_table.months")
    head = page.data["heads"][-1]
    return head["month"].value, head["kind"].value


def test_a_new_cash_column_is_the_month_after_the_last() -> None:
    assert _new_column({"cash_table": {"months": [{"month": "2025-12", "kind": "plan"}]}}) == ("2026-01", "plan")
    assert _new_column({"cash_table": {"months": [{"month": "2025-04"}]}}) == ("2025-05", "plan")


def test_the_first_cash_column_follows_the_last_actual_year() -> None:
    assert _new_column({"actuals": [{"period": "2024-03"}, {"period": "2025-03"}]}) == ("2025-04", "plan")


def test_no_month_is_suggested_after_a_month_that_is_not_one() -> None:
    assert _new_column({"cash_table": {"months": [{"month": "2025-13"}]}}) == ("", "")
    assert _new_column({}) == ("", "")
