"""Hidden premises come into the open: new loans are requests to lenders, other debt is bridged
to the BS, the monthly cash table agrees with the projection, book net assets are called book."""

from __future__ import annotations

import dataclasses

from keiei.finance import project, to_dict, validate_plan
from keiei.plan import load_plan
from keiei.plan import model as m

NOT_ASKED = "tests/data/plans/early-new-loan-not-asked.yaml"


def codes(plan: m.Plan) -> set[str]:
    return {f.code for f in validate_plan(plan)}


def test_a_new_loan_relied_on_without_asking_is_a_finding() -> None:
    findings = {f.code: f for f in validate_plan(load_plan(NOT_ASKED))}
    assert findings["PLAN_NEW_LOAN_NOT_ASKED"].where == "banks[0].new_loans[0].support"
    assert "金融支援は求めません" in findings["PLAN_NEW_LOAN_NOT_ASKED"].message
    unlisted = findings["PLAN_CASH_BORROWING_UNLISTED"]
    assert unlisted.details == {"borrowed": 8_000_000, "listed": 3_000_000}
    assert "8,000,000円" in unlisted.message and "3,000,000円" in unlisted.message


def test_examples_list_their_loans_and_raise_neither_finding() -> None:
    for path in ("examples/early-supermarket.yaml", "examples/405-manufacturer.yaml"):
        assert not codes(load_plan(path)) & {"PLAN_NEW_LOAN_NOT_ASKED", "PLAN_CASH_BORROWING_UNLISTED"}, path


def test_every_new_loan_is_listed_with_lender_purpose_and_guarantee() -> None:
    out = to_dict(project(load_plan("examples/early-supermarket.yaml")))
    (loan,) = out["financial_support"]["new_loans"]
    assert loan["bank"] == "いわて北上銀行" and loan["amount"] == 25_000_000 and loan["support"] is True
    assert loan["purpose"] and loan["guarantor"].startswith("岩手県信用保証協会")
    assert out["financial_support"]["new_money"][0]["amount"] == 25_000_000  # the old key stays
    assert {"month": "2025-05", "label": "借入金", "amount": 25_000_000} in out["financial_support"][
        "cash_table_borrowing"
    ]


def test_the_documents_list_the_loan_under_financial_support() -> None:
    from keiei.documents.figures import figures_for
    from keiei.documents.plan_pdf import support_items

    items = support_items(figures_for(load_plan("examples/early-supermarket.yaml")))
    assert any("いわて北上銀行" in s and "資金使途" in s and "保証" in s for s in items)
    items = support_items(figures_for(load_plan(NOT_ASKED)))
    assert any("金融支援としての依頼ではない" in s for s in items)


def test_cash_table_that_misses_the_projection_is_a_finding_with_both_figures() -> None:
    plan = load_plan("examples/405-manufacturer.yaml")
    assert not codes(plan) & {"PLAN_CASH_TABLE_YEAR_END", "PLAN_CASH_TABLE_OPERATING"}
    months = list(plan.cash_table.months)
    last = months[-1]
    months[-1] = dataclasses.replace(last, operating_in=(*last.operating_in, ("雑収入（追加）", 1_031_253)))
    off = dataclasses.replace(plan, cash_table=dataclasses.replace(plan.cash_table, months=tuple(months)))
    findings = {f.code: f for f in validate_plan(off)}
    year_end = findings["PLAN_CASH_TABLE_YEAR_END"]
    assert year_end.details["difference"] == 1_031_253
    assert year_end.details["projection"] == project(plan).plan_years[0].bs.cash
    assert "1,031,253円" in year_end.message
    assert findings["PLAN_CASH_TABLE_OPERATING"].details["difference"] == 1_031_253


def test_other_debt_is_bridged_to_the_balance_sheet() -> None:
    out = to_dict(project(load_plan("examples/405-manufacturer.yaml")))
    bridge = out["interest_bearing_debt_bridge"]
    assert bridge["base"]["banks"] + bridge["base"]["other"] == bridge["base"]["total"]
    for year in out["years"]:
        if year["kind"] == "plan":
            point = bridge["by_year"][year["period"]]
            assert point["banks"] + point["other"] == point["total"] == year["bs"]["interest_bearing_debt"]
    assert bridge["counted_in_debt_repayment_years"] is True and "代表者借入金" in bridge["note"]


def test_years_without_due_diligence_are_book_net_assets() -> None:
    out = to_dict(project(load_plan("examples/405-manufacturer.yaml")))
    bases = {y["period"]: y["net_assets_basis"] for y in out["years"]}
    assert bases["2024-03"] == "book" and bases["2025-03"] == "adjusted"
    none = to_dict(project(load_plan(NOT_ASKED)))
    assert {y["net_assets_basis"] for y in none["years"]} == {"book"}
    from keiei.documents.figures import figures_for
    from keiei.documents.overview import summary_table

    table = summary_table(figures_for(load_plan(NOT_ASKED)))
    assert table.row("sum.adjusted_net_assets").label == "簿価純資産（実態修正なし）"
