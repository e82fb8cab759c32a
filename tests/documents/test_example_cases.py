"""Every example plan ships a complete case file, its dates consistent with the plan; a blank
reads 未記入, never a placeholder in a name's place; the application form shows only what is
known on the application date (issue 12, items 4, 5 and 8)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from keiei.case.file import EMPTY_CASE, Case, load_case
from keiei.documents.figures import UNFILLED, figures_for
from keiei.documents.forms import council_name, forms_context
from keiei.documents.plan_pdf import plan_context
from keiei.plan import Plan, load_plan
from keiei.plan.periods import Period

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
NAMES = [p.stem for p in EXAMPLES]

#: A bracketed 「…名」 standing where a name should be: （認定支援機関名）, （代表者名）, （氏名）…
PLACEHOLDER = re.compile(r"（[^（）]{0,20}名）")


#: Examples whose new terms start with plan year 1 (2025-04), months before the banks can have
#: consented to a plan made after the base year closed (the case's dates): the plan's
#: `financial_support.rescheduling.agreement_date` is the lead's call (a later start changes the
#: example's figures; for the manufacturer, 2025-11 drops cash below its 40,000千円 minimum).
def case_of(name: str) -> Case:
    return load_case(ROOT / "examples" / "cases" / f"{name}-case.yaml")


def plan_of(name: str) -> Plan:
    return load_plan(ROOT / "examples" / f"{name}.yaml")


def month_start(text: str) -> dt.date:
    p = Period.parse(text[:7])
    return dt.date(p.year, p.month, 1)


def test_every_example_has_a_case_file() -> None:
    assert set(NAMES) <= {p.name.removesuffix("-case.yaml") for p in (ROOT / "examples" / "cases").glob("*-case.yaml")}


@pytest.mark.parametrize("name", NAMES)
def test_the_case_is_complete(name: str) -> None:
    case, plan = case_of(name), plan_of(name)
    assert case.application_date and case.acceptance_date and case.plan_date and case.agreement_date
    assert case.council and case.council == council_name(plan, EMPTY_CASE)  # the council of the company's postal code
    adviser = case.adviser
    assert adviser and adviser.name and adviser.representative and adviser.registration_number
    assert adviser.address and adviser.phone and adviser.bank_account and adviser.bank_account.number
    assert case.applicant and case.applicant.phone and case.applicant.contact_person
    assert case.fees and {line.item for line in case.fees} >= {"plan"}


@pytest.mark.parametrize("name", NAMES)
def test_the_case_dates_follow_the_process_and_the_plan(name: str) -> None:
    case, plan = case_of(name), plan_of(name)
    assert case.application_date and case.acceptance_date and case.plan_date and case.agreement_date
    # application → acceptance → (due diligence, plan) → every bank's consent / the receipt
    assert case.application_date < case.acceptance_date < case.plan_date < case.agreement_date
    # the plan starts from a closed base year... at the latest when it is made
    base_end = month_start(str(plan.base_period.plus_months(1)))
    assert base_end <= case.plan_date
    # no measure is due before the case began
    for action in plan.action_plan:
        if action.deadline:
            assert month_start(action.deadline) >= month_start(case.application_date.isoformat())
    # a third-party expert reports on the finished plan, before the banks consent
    expert = plan.guideline.third_party_expert if plan.guideline else None
    if expert and expert.report_date:
        assert month_start(case.plan_date.isoformat()) <= month_start(expert.report_date)
        assert month_start(expert.report_date) <= case.agreement_date


@pytest.mark.parametrize("name", NAMES)
def test_new_terms_start_after_every_bank_has_consented(name: str) -> None:
    case, plan = case_of(name), plan_of(name)
    rescheduling = plan.financial_support.rescheduling if plan.financial_support else None
    if rescheduling is None:
        return
    assert case.agreement_date
    start = rescheduling.agreement_date or str(plan.base_period.plus_months(12 * (rescheduling.from_year - 1) + 1))
    assert month_start(str(start)) > case.agreement_date


def strings(value: Any, seen: set[int] | None = None) -> Iterator[str]:
    """Every text a context holds, through dicts, sequences and dataclasses."""
    seen = set() if seen is None else seen
    if isinstance(value, str):
        yield value
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, dict):
        for v in value.values():
            yield from strings(v, seen)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from strings(v, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings(getattr(value, field.name), seen)


@pytest.mark.parametrize("name", NAMES)
def test_without_a_case_a_blank_reads_unfilled_never_a_placeholder(name: str) -> None:
    plan = plan_of(name)
    f = figures_for(plan)
    forms = forms_context(f, EMPTY_CASE)
    cover = plan_context(f, None)
    found = [s for s in (*strings(forms), *strings(cover)) if PLACEHOLDER.search(s)]
    assert found == []
    assert cover["adviser_name"] == UNFILLED
    assert forms["adviser_name"] == UNFILLED and forms["adviser_representative_name"] == UNFILLED
    assert forms["representative_name"] == plan.company.representative  # from the plan's company


def test_with_the_case_the_names_are_filled() -> None:
    f = figures_for(plan_of("405gl-ryokan"))
    case = case_of("405gl-ryokan")
    forms = forms_context(f, case)
    assert forms["adviser_name"] == "上州経営パートナーズ税理士法人（架空）"
    assert forms["council_name"] == "群馬県中小企業活性化協議会"
    assert plan_context(f, case)["adviser_name"] == forms["adviser_name"]


def test_a_missing_representative_reads_unfilled() -> None:
    plan = plan_of("early-restaurant")
    plan = dataclasses.replace(plan, company=dataclasses.replace(plan.company, representative=None))
    f = figures_for(plan)
    assert forms_context(f, EMPTY_CASE)["representative_name"] == UNFILLED
    assert plan_context(f, None)["representative_name"] == UNFILLED


def test_the_remark_on_the_representative_is_apart_from_the_name() -> None:
    f = figures_for(plan_of("405gl-ryokan"))
    forms, cover = forms_context(f, case_of("405gl-ryokan")), plan_context(f, None)
    for context in (forms, cover):
        assert context["representative_name"] == "代表取締役 藤野 正"
        assert context["representative_remark"] == "計画成立時に退任予定。後任 専務取締役 藤野 大輔"
    assert forms["applicant"].representative == "代表取締役 藤野 正"
    # the plan's profile shows the remark in a row of its own
    assert ("代表者", "代表取締役 藤野 正") in cover["profile"]
    assert ("代表者（備考）", "計画成立時に退任予定。後任 専務取締役 藤野 大輔") in cover["profile"]


def row_keys(table: Any) -> list[str]:
    return [row.key for row in table.rows]


def test_the_application_form_shows_only_what_is_known_on_the_application_date() -> None:
    # the ryokan applied on 2025-02-10, before its base year (2025-03) closed
    f = figures_for(plan_of("405gl-ryokan"))
    forms = forms_context(f, case_of("405gl-ryokan"))
    performance = forms["performance"]
    assert [c.key for c in performance.columns] == ["2023-03", "2024-03"]
    assert "perf.adjusted_net_assets" not in row_keys(performance)  # the due diligence's result
    profile = dict(forms["profile"])
    assert "代表者（備考）" not in profile  # the retirement is the plan's outcome
    assert "借入残高" not in profile["取引金融機関"]  # balances of the base year, not yet closed
    assert "上毛中央銀行" in profile["取引金融機関"]
    # the plan itself, made after the due diligence, shows all of it
    cover = plan_context(f, case_of("405gl-ryokan"))
    assert [c.key for c in cover["performance"].columns] == ["2023-03", "2024-03", "2025-03"]
    assert "perf.adjusted_net_assets" in row_keys(cover["performance"])
    assert "借入残高" in dict(cover["profile"])["取引金融機関"]


@pytest.mark.parametrize("case", ["405-manufacturer", None])
def test_an_application_after_the_base_year_shows_its_statements_but_no_due_diligence(case: str | None) -> None:
    f = figures_for(plan_of("405-manufacturer"))
    forms = forms_context(f, case_of(case) if case else EMPTY_CASE)
    assert [c.key for c in forms["performance"].columns] == ["2023-03", "2024-03", "2025-03"]
    assert "perf.adjusted_net_assets" not in row_keys(forms["performance"])
    assert "借入残高" in dict(forms["profile"])["取引金融機関"]
