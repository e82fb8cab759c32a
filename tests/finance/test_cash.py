"""The monthly cash table: running balances, and months derived from plan year 1."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

import yaml

from keiei.finance import cash_schedule, project
from keiei.plan import load_plan, parse_plan

ROOT = Path(__file__).parents[2]


def test_example_table_runs_from_the_opening_to_the_year_end_cash() -> None:
    plan = load_plan(ROOT / "examples" / "405-manufacturer.yaml")
    months = cash_schedule(plan, project(plan))
    assert len(months) == 24
    assert months[0].cash_begin == 44_100_000
    assert all(m.cash_begin == p.cash_end for p, m in itertools.pairwise(months))
    assert months[11].month == "2025-03" and months[11].cash_end == 38_500_000  # the 2025-03 BS cash
    for m in months:
        assert m.cash_end == m.cash_begin + m.operating + m.investing + m.financing


def test_months_are_derived_from_plan_year_one_when_none_are_planned() -> None:
    data = yaml.safe_load((ROOT / "tests" / "data" / "plans" / "minimal.yaml").read_text(encoding="utf-8"))
    plan = parse_plan(copy.deepcopy(data))
    projection = project(plan)
    months = cash_schedule(plan, projection)
    assert [m.kind for m in months] == ["derived"] * 12
    assert months[0].month == "2025-04" and months[-1].month == "2026-03"
    first = projection.plan_years[0]
    assert first.bs is not None and first.cf is not None
    assert months[0].cash_begin == first.cf.cash_begin
    assert months[-1].cash_end == first.bs.cash
    assert sum(m.operating for m in months) == first.cf.operating
