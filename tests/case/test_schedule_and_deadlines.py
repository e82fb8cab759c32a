"""Calendar helpers, the monitoring schedule from the rules, and deadline highlighting — the
core's functions, with no database (moved from tests/web; the web keeps the tests that need a
stored case)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from keiei.case.deadlines import Deadline, case_deadlines, main_deadline
from keiei.case.schedule import first_fiscal_year_end, monitoring_schedule, year_end_lag_months
from keiei.errors import RulesDataError
from keiei.plan.periods import add_months, fiscal_year, fiscal_year_label, month_end
from keiei.rules import programs as programs_mod
from keiei.rules import rules_for


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)
    assert add_months(dt.date(2025, 3, 15), -3) == dt.date(2024, 12, 15)


def test_add_months_and_month_end_saturate_beyond_pythons_calendar() -> None:
    assert add_months(dt.date(9999, 11, 30), 2) == dt.date.max
    assert add_months(dt.date(1, 2, 1), -2) == dt.date.min
    assert month_end(10000, 1) == dt.date.max
    assert month_end(2024, 2) == dt.date(2024, 2, 29)


def test_fiscal_year_runs_april_to_march() -> None:
    assert fiscal_year(dt.date(2026, 3, 31)) == 2025
    assert fiscal_year(dt.date(2026, 4, 1)) == 2026
    assert fiscal_year_label(2025) == "2025年度（令和7年度）"


def test_405_schedule_every_n_months_for_three_years() -> None:
    rules = rules_for("405", dt.date(2025, 4, 1))
    sessions = monitoring_schedule(rules, dt.date(2025, 6, 30), 12, 3)
    assert [s.due_on for s in sessions] == [dt.date(2026, 6, 30), dt.date(2027, 6, 30), dt.date(2028, 6, 30)]
    assert len(monitoring_schedule(rules, dt.date(2025, 6, 30), 1, 3)) == 36
    with pytest.raises(ValueError):
        monitoring_schedule(rules, dt.date(2025, 6, 30), 13, 3)


def test_early_schedule_mid_sessions_then_the_mandatory_year_end() -> None:
    rules = rules_for("early", dt.date(2025, 4, 1))
    sessions = monitoring_schedule(rules, dt.date(2025, 5, 15), 3, 12)
    assert [(s.kind, s.due_on, s.mandatory) for s in sessions] == [
        ("monitoring_mid", dt.date(2025, 8, 15), False),
        ("monitoring_mid", dt.date(2025, 11, 15), False),
        ("monitoring_end", dt.date(2026, 2, 28), True),
    ]
    assert first_fiscal_year_end(dt.date(2025, 3, 31), 3) == dt.date(2026, 3, 31)


def test_before_2022_04_early_had_no_interim_monitoring() -> None:
    rules = rules_for("early", dt.date(2021, 4, 1))
    sessions = monitoring_schedule(rules, dt.date(2021, 5, 15), 3, 12)
    assert [s.kind for s in sessions] == ["monitoring_end"]


def test_the_year_end_lag_is_rules_data_with_its_source() -> None:
    rules = rules_for("early", dt.date(2025, 4, 1))
    assert year_end_lag_months(rules) == 2
    [value] = [v for v in rules.values if v.key == "deadlines.monitoring_end_months_after_fiscal_year_end"]
    assert value.unconfirmed
    assert "https://" in value.reference


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in [*programs_mod.PROGRAMS, "common"]:
        (tmp_path / f"{name}.yaml").write_text(
            (programs_mod.data_dir() / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    monkeypatch.setattr(programs_mod, "data_dir", lambda: tmp_path)
    programs_mod.program_file.cache_clear()
    programs_mod.common_file.cache_clear()
    yield tmp_path
    programs_mod.program_file.cache_clear()
    programs_mod.common_file.cache_clear()


def test_changing_the_lag_in_the_data_moves_the_year_end_session(rules_copy: Path) -> None:
    path = rules_copy / "early.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "  monitoring_end_months_after_fiscal_year_end:\n"
    head, tail = text.split(marker)
    tail = tail.replace("value: 2\n", "value: 3\n", 1)
    path.write_text(head + marker + tail, encoding="utf-8")
    rules = rules_for("early", dt.date(2025, 4, 1))
    [*_, end] = monitoring_schedule(rules, dt.date(2025, 5, 15), 3, 12)
    assert end.due_on == dt.date(2026, 3, 31)


def test_an_early_programme_without_the_lag_fails_naming_the_rule(rules_copy: Path) -> None:
    path = rules_copy / "early.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("monitoring_end_months_after_fiscal_year_end", "renamed_lag"), encoding="utf-8")
    rules = rules_for("early", dt.date(2025, 4, 1))
    with pytest.raises(RulesDataError) as caught:
        monitoring_schedule(rules, dt.date(2025, 5, 15), 3, 12)
    assert "monitoring_end_months_after_fiscal_year_end" in caught.value.field


def test_deadline_status() -> None:
    d = Deadline("x", "期限", dt.date(2025, 5, 1), None, "")
    assert d.status(dt.date(2025, 3, 1)) == "open"
    assert d.status(dt.date(2025, 4, 15)) == "soon"
    assert d.status(dt.date(2025, 5, 1)) == "soon"
    assert d.status(dt.date(2025, 5, 2)) == "overdue"
    assert d.status(dt.date(2025, 5, 2), closed=True) == "closed"
    optional = Deadline("y", "任意", dt.date(2025, 5, 1), None, "", enforced=False)
    assert optional.status(dt.date(2026, 1, 1)) == "open"
    met = Deadline("z", "済", dt.date(2025, 5, 1), dt.date(2025, 6, 1), "")
    assert met.status(dt.date(2026, 1, 1)) == "met"


def test_405_lapses_two_years_after_acceptance_unless_claimed() -> None:
    rules = rules_for("405", dt.date(2025, 4, 1))
    lapse = main_deadline(rules, dt.date(2025, 4, 1), dt.date(2025, 4, 11), None)
    assert lapse is not None
    assert (lapse.code, lapse.due, lapse.basis) == (
        "application_lapse",
        dt.date(2027, 4, 11),
        "受理日から24か月（延長可）",
    )
    assert lapse.status(dt.date(2027, 4, 11)) == "soon"
    assert lapse.status(dt.date(2027, 4, 12)) == "overdue"
    assert main_deadline(rules, dt.date(2025, 4, 1), None, None) is None


def test_early_plan_claim_within_a_year_of_the_application() -> None:
    rules = rules_for("early", dt.date(2025, 4, 6))
    claim = main_deadline(rules, dt.date(2025, 4, 6), None, dt.date(2025, 6, 10))
    assert claim is not None
    assert (claim.code, claim.due, claim.met_on) == ("plan_claim", dt.date(2026, 4, 6), dt.date(2025, 6, 10))
    assert main_deadline(rules, None, None, None) is None


def test_sessions_follow_the_main_deadline_and_optional_ones_are_never_overdue() -> None:
    from keiei.case.deadlines import SessionState

    rules = rules_for("early", dt.date(2025, 4, 6))
    out = case_deadlines(
        rules,
        dt.date(2025, 4, 6),
        None,
        None,
        [
            SessionState(1, "monitoring_mid", dt.date(2025, 8, 15), False),
            SessionState(2, "monitoring_end", dt.date(2026, 2, 28), True, dt.date(2026, 2, 1)),
        ],
    )
    assert [(d.code, d.label, d.basis) for d in out] == [
        ("plan_claim", "計画策定支援の支払申請の期限", "利用申請日から12か月"),
        ("session_1", "伴走支援 第1回（期中）", "任意"),
        ("session_2", "伴走支援 第2回（期末・決算期）", "必須"),
    ]
    assert out[1].status(dt.date(2030, 1, 1)) == "open"
    assert out[2].status(dt.date(2030, 1, 1)) == "met"
