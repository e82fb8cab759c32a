"""What is due when for a case file (keiei.case.due), from parsed case data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from keiei.case import CaseInputError, case_due, parse_case


def case(**sections: Any) -> Any:
    return parse_case({"version": 1, **sections}, "case.yaml")


def test_405_lapse_and_three_years_of_sessions() -> None:
    c = case(
        case={"program": "405", "application_date": "2025-04-01", "acceptance_date": "2025-04-11"},
        monitoring={
            "start_date": "2025-10-31",
            "interval_months": 6,
            "reports": [{"session": 1, "date": "2026-04-20"}],
        },
    )
    report = case_due(c, dt.date(2027, 4, 20))
    assert [(i.deadline.code, i.deadline.due, i.status) for i in report.items] == [
        ("application_lapse", dt.date(2027, 4, 11), "overdue"),
        ("session_1", dt.date(2026, 4, 30), "met"),
        ("session_2", dt.date(2026, 10, 31), "overdue"),
        ("session_3", dt.date(2027, 4, 30), "soon"),
        ("session_4", dt.date(2027, 10, 31), "open"),
        ("session_5", dt.date(2028, 4, 30), "open"),
        ("session_6", dt.date(2028, 10, 31), "open"),
    ]
    assert report.notes == ()


def test_the_default_interval_is_the_rules_maximum_and_the_plan_fills_the_programme() -> None:
    c = case(
        case={"application_date": "2025-04-01", "acceptance_date": "2025-04-11"},
        monitoring={"start_date": "2025-10-31"},
    )
    report = case_due(c, dt.date(2025, 11, 1), program="405", fiscal_year_end_month=3)
    assert [i.deadline.due for i in report.items[1:]] == [
        dt.date(2026, 10, 31),
        dt.date(2027, 10, 31),
        dt.date(2028, 10, 31),
    ]


def test_the_early_year_end_session_needs_the_fiscal_year_end_month() -> None:
    c = case(case={"program": "early", "application_date": "2025-04-01"}, monitoring={"start_date": "2025-10-31"})
    with pytest.raises(CaseInputError) as caught:
        case_due(c, dt.date(2025, 11, 1))
    assert caught.value.field == "case.yaml: case.fiscal_year_end_month"


def test_a_date_before_the_programme_names_the_application_date() -> None:
    c = case(case={"program": "405-gl", "application_date": "2022-04-14"})
    with pytest.raises(CaseInputError) as caught:
        case_due(c, dt.date(2025, 11, 1))
    assert caught.value.field == "case.yaml: case.application_date"
    assert "2022-04-15" in caught.value.message_ja


def test_without_an_application_date_the_rules_are_unknown() -> None:
    with pytest.raises(CaseInputError) as caught:
        case_due(case(case={"program": "early"}), dt.date(2025, 11, 1))
    assert caught.value.field == "case.yaml: case.application_date"
