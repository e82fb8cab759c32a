"""Plan against actual on the shipped samples: views, properties, bad input, flags, replan, CLI."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keiei.cli import main
from keiei.errors import KeieiInputError
from keiei.finance import project, validate_plan
from keiei.monitoring import import_books
from keiei.monitoring.actuals import Actuals, PeriodFigures
from keiei.monitoring.check import monitor_check
from keiei.monitoring.compare import ROWS
from keiei.monitoring.planmonths import plan_months, split
from keiei.monitoring.progress import progress_from_dict
from keiei.monitoring.replan import write_replan
from keiei.monitoring.report import report_data
from keiei.plan import load_plan
from keiei.rules import monitoring_flags

ROOT = Path(__file__).resolve().parents[2]
PLAN_PATH = ROOT / "examples" / "early-restaurant.yaml"
ON = dt.date(2026, 4, 10)


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return load_plan(PLAN_PATH)


@pytest.fixture(scope="module")
def yayoi(plan):  # type: ignore[no-untyped-def]
    return import_books(ROOT / "examples" / "books" / "yayoi-journal.csv", plan)


def test_monthly_plan_adds_up_to_each_year(plan) -> None:  # type: ignore[no-untyped-def]
    projection = project(plan)
    months = plan_months(plan, projection)
    for index, year in enumerate(projection.plan_years):
        start = plan.base_period.plus_months(12 * index + 1)
        total = months.over([start.plus_months(k) for k in range(12)])
        assert total["sales"] == year.pl.sales
        assert total["net_income"] == year.pl.net_income


def test_yayoi_sample_against_the_plan(plan, yayoi) -> None:  # type: ignore[no-untyped-def]
    result = monitor_check(plan, [("yayoi.yaml", yayoi)], on=ON)
    assert not result.errors
    latest = result.comparison.cumulative[-1]
    assert latest.months == 6 and str(latest.last) == "2026-03"
    sales = latest.cell("sales")
    assert sales.actual == 26_800_000
    assert 0.92 < float(sales.achievement or 0) < 1.01  # the samples are 92–101 % of plan
    # principal as agreed: 150,000 (信用金庫) + 170,000 (公庫) a month, interest apart
    assert result.repayments.total.actual == 6 * 320_000
    assert not result.raised  # on plan: no flag
    json.dumps(result.as_dict())  # the contract is JSON-ready


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9_000_000), min_size=1, max_size=12))
def test_cumulative_is_the_sum_of_months(sales: list[int]) -> None:
    plan = load_plan(PLAN_PATH)
    periods = tuple(
        PeriodFigures(str(plan.base_period.plus_months(k + 1)), str(plan.base_period.plus_months(k + 1)),
                      {"sales": s, "cost_of_sales": s // 3, "sga": 2_000_000}, {})
        for k, s in enumerate(sales)
    )  # fmt: skip
    base = import_books(ROOT / "examples" / "books" / "yayoi-journal.csv", plan)
    actuals = Actuals(base.source, periods, (), plan_company=plan.company.name, fiscal_year_end_month=9)
    result = monitor_check(plan, [("a", actuals)], on=ON)
    views = result.comparison
    for key in ROWS:
        running_plan = running_actual = 0
        for month, cumulative in zip(views.monthly, views.cumulative, strict=True):
            running_plan += month.cell(key).plan
            running_actual += month.cell(key).actual
            cell = cumulative.cell(key)
            assert (cell.plan, cell.actual) == (running_plan, running_actual)
            assert cell.variance == cell.actual - cell.plan
            assert cell.remaining == views.annual[0].cell(key).plan - cell.actual


@given(st.integers(min_value=-(10**12), max_value=10**12), st.lists(st.integers(0, 1000), min_size=12, max_size=12))
def test_split_is_exact(amount: int, weights: list[int]) -> None:
    assert sum(split(amount, weights)) == amount


def _shifted(actuals: Actuals, years: int) -> Actuals:
    periods = tuple(
        PeriodFigures(f"{int(p.month[:4]) + years}{p.month[4:]}", f"{int(p.first[:4]) + years}{p.first[4:]}",
                      p.pl, p.bs_change, p.bs)
        for p in actuals.periods
    )  # fmt: skip
    return Actuals(actuals.source, periods, actuals.accounts, plan_company=actuals.plan_company,
                   fiscal_year_end_month=actuals.fiscal_year_end_month)  # fmt: skip


def test_bad_input_findings_name_month_and_file(plan, yayoi) -> None:  # type: ignore[no-untyped-def]
    other_year = _shifted(yayoi, -3)
    changed = Actuals(yayoi.source, yayoi.periods[:1] and (PeriodFigures("2025-10", "2025-10", {"sales": 1}, {}),),
                      (), plan_company=plan.company.name, fiscal_year_end_month=9)  # fmt: skip
    other_company = Actuals(yayoi.source, yayoi.periods, (), plan_company="別の会社", fiscal_year_end_month=9)
    gap = Actuals(yayoi.source, yayoi.periods[:2] + yayoi.periods[3:], (), plan_company=plan.company.name,
                  fiscal_year_end_month=9)  # fmt: skip
    result = monitor_check(
        plan,
        [("a.yaml", gap), ("b.yaml", changed), ("c.yaml", gap), ("old.yaml", other_year), ("x.yaml", other_company)],
        on=ON,
    )
    by_code = {f.code: f.message for f in result.findings}
    assert "a.yaml" in by_code["monitor.month_twice"] and "b.yaml" in by_code["monitor.month_twice"]
    assert "2025-10" in by_code["monitor.month_twice"]
    assert "同じ" in by_code["monitor.month_repeated"]
    outside = [f.message for f in result.findings if f.code == "monitor.outside_plan"]
    assert len(outside) == 6 and all("old.yaml" in m for m in outside) and any("2022-10" in m for m in outside)
    assert "別の会社" in by_code["monitor.other_company"]
    assert "2025-12" in by_code["monitor.missing_months"]


def test_flags_on_both_sides_of_the_effective_date(plan, yayoi) -> None:  # type: ignore[no-untyped-def]
    flags = monitoring_flags(dt.date(2013, 3, 1))
    assert flags is not None and flags.sales_min_achievement == Decimal("0.8")
    assert flags.source("sales_min_achievement").unconfirmed
    assert monitoring_flags(dt.date(2013, 2, 28)) is None
    low = Actuals(yayoi.source, tuple(PeriodFigures(p.month, p.first, {**p.pl, "sales": p.pl["sales"] // 2},
                                                     p.bs_change) for p in yayoi.periods),
                  (), plan_company=plan.company.name, fiscal_year_end_month=9)  # fmt: skip
    raised = {f.code for f in monitor_check(plan, [("low", low)], on=ON).raised}
    assert {"monitor.flag.sales", "monitor.flag.ordinary_profit_forecast"} <= raised


def test_progress_file_is_checked_in_japanese(plan) -> None:  # type: ignore[no-untyped-def]
    good = {"actions": [{"measure": "メニュー価格の改定", "status": "完了", "completed": "2025-11", "evidence": "新メニュー表"}],
            "causes": ["ランチの客数"], "asks_of_banks": ["約定どおりの返済を続けます"]}  # fmt: skip
    progress = progress_from_dict(good, plan)
    assert progress.actions[0].status == "完了"
    with pytest.raises(KeieiInputError) as bad_status:
        progress_from_dict({"actions": [{"measure": "メニュー価格の改定", "status": "done"}]}, plan)
    assert "未着手・実施中・完了・中止" in bad_status.value.message_ja
    with pytest.raises(KeieiInputError) as unknown:
        progress_from_dict({"actions": [{"measure": "ない施策", "status": "完了"}]}, plan)
    assert "行動計画にない施策" in unknown.value.message_ja


def test_report_data_has_every_part(plan, yayoi) -> None:  # type: ignore[no-untyped-def]
    progress = progress_from_dict({"closing": "上期は売上が計画の96%", "countermeasures": ["平日ランチ"]}, plan)
    data = report_data(monitor_check(plan, [("y", yayoi)], on=ON, progress=progress))
    assert data["closing"]["summary"] == "上期は売上が計画の96%"
    assert data["trial_balance"]["basis"] == "opening_plus_movements"
    tb = data["trial_balance"]["bs"]
    assets = sum(tb[k] for k in ("cash", "receivables", "inventory", "other_current_assets", "fixed_assets"))
    assert assets == tb["payables"] + tb["interest_bearing_debt"] + tb["other_liabilities"] + tb["net_assets"]
    assert len(data["chart"]["months"]) == 6 and data["actions"][0]["status"] is None


def test_replan_writes_a_new_version_that_loads(plan, yayoi, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = monitor_check(plan, [("y", yayoi)], on=ON)
    out = tmp_path / "new.yaml"
    before = PLAN_PATH.read_bytes()
    write_replan(PLAN_PATH, result.projection, result.comparison.annual, out)
    assert PLAN_PATH.read_bytes() == before
    new = load_plan(out)
    assert str(new.base_period) == "2026-09" and new.drivers.years == 2
    assert not [f for f in validate_plan(new) if f.severity.value == "error"]
    with pytest.raises(KeieiInputError):
        write_replan(PLAN_PATH, result.projection, result.comparison.annual, PLAN_PATH)


def test_cli_check_and_replan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    actuals = tmp_path / "actuals.yaml"
    assert main(["actuals", "import", str(ROOT / "examples/books/yayoi-journal.csv"), "--plan", str(PLAN_PATH),
                 "-o", str(actuals)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["monitor", "check", str(PLAN_PATH), str(actuals), "--date", "2026-04-10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["through"] == "2026-03" and data["forecast"][0]["criteria"][0]["forecast_passed"] is True
    assert main(["monitor", "check", str(PLAN_PATH), str(actuals), "--date", "2026-04-10"]) == 0
    assert "年度累計" in capsys.readouterr().out
    assert main(["monitor", "replan", str(PLAN_PATH), str(actuals), "--date", "2026-04-10",
                 "-o", str(tmp_path / "new.yaml")]) == 0  # fmt: skip
    assert main(["plan", "check", str(tmp_path / "new.yaml")]) in (0, 1)
