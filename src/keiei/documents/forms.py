"""The programme forms, filled from the plan and the case file.

- 利用申請書 (別紙1) with 申請者の概要 (1-1) and 業務別見積明細書 (1-3): fee lines → fee per item →
  subsidy from `keiei.subsidy.compute_subsidy` under the rules of the application date;
- 受取書 of the main bank (early) or one 同意書 per lending bank (405, 405-gl);
- 支払申請書 for the plan-formulation claim;
- a 伴走支援報告書 frame (plan year 1 figures beside blank actuals, the measures to report on).

The layouts follow the public descriptions of the forms (shared/docs/program-facts.md: their
names, what they contain, the attachments), not the official files, and every page says so.
Values the case file does not give are left as blank lines to fill by hand. All forms are laid
out in one WeasyPrint pass and written as separate PDFs (`render.write_parts`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from keiei.case.file import EMPTY_CASE, Case, Contact
from keiei.documents import overview
from keiei.documents.figures import (
    Figures,
    Unit,
    amount_text,
    date_label,
    figures_for,
    fiscal_label,
    plan_span,
    program_rules,
    yen_text,
)
from keiei.documents.overview import profile_rows
from keiei.documents.render import Part, write_parts
from keiei.errors import KeieiInputError
from keiei.plan import Plan
from keiei.rules import ProgramRules
from keiei.subsidy import SubsidyResult, compute_subsidy

FORM_NOTE = (
    "この様式は、中小企業庁・協議会の公開資料の記述をもとに keiei が作成したもので、公式の様式ファイルではありません。"
    "提出前に、申請先の協議会の最新の様式で項目を確認してください。"
)
PROGRAM_FORM_NAMES = {
    "early": "早期経営改善計画策定支援",
    "405": "経営改善計画策定支援",
    "405-gl": "経営改善計画策定支援（中小版GL枠）",
}
PLAN_NAMES = {"early": "早期経営改善計画書", "405": "経営改善計画書", "405-gl": "経営改善計画書"}
ITEM_ORDER = ("dd", "plan", "monitoring_mid", "monitoring_end", "monitoring", "guarantee_release")


@dataclass(frozen=True)
class FormDoc:
    """One form file: its key (file stem), title, anchor in the combined HTML, and the name of
    the lending bank it is addressed to (受取書, 同意書; None for the other forms)."""

    key: str
    title: str
    anchor: str
    bank: str | None = None


def form_docs(plan: Plan) -> list[FormDoc]:
    """The programme's forms for `plan`, in order, without building them (the keys are the file
    stems `build_forms(only=...)` accepts): 利用申請書, the main bank's 受取書 (early) or one 同意書
    per lending bank (405, 405-gl), 支払申請書, 伴走支援報告書."""
    docs = [FormDoc("form-1-application", f"利用申請書（{PROGRAM_FORM_NAMES[plan.program]}）", "doc-application")]
    if plan.program == "early":
        main = next((b for b in plan.banks if b.main), plan.banks[0] if plan.banks else None)
        docs.append(FormDoc("form-2-receipt", "受取書（メイン金融機関）", "doc-receipt", main.name if main else None))
    else:
        for i, bank in enumerate(plan.banks):
            docs.append(FormDoc(f"form-2-consent-{i + 1}", f"同意書（{bank.name}）", f"doc-consent-{i + 1}", bank.name))
    docs.append(FormDoc("form-3-payment-claim", "支払申請書（計画策定支援）", "doc-claim"))
    docs.append(FormDoc("form-4-monitoring-report", "伴走支援報告書", "doc-monitoring"))
    return docs


def council_name(plan: Plan, case: Case) -> str | None:
    """The council to apply to: the case's, else the one for the company's postal code."""
    if case.council:
        return case.council
    postal = (case.applicant.postal_code if case.applicant else None) or plan.company.postal_code
    if not postal:
        return None
    from keiei.councils import find

    try:
        offices = find(postal)
    except KeieiInputError:
        return None
    return offices[0].council if offices else None


def applicant(plan: Plan, case: Case) -> Contact:
    """The applicant: the case's values, the plan's company for the rest."""
    given = case.applicant or Contact()
    c = plan.company
    return Contact(
        name=given.name or c.name,
        representative=given.representative or c.representative,
        postal_code=given.postal_code or c.postal_code,
        address=given.address or c.address,
        phone=given.phone,
        email=given.email,
        contact_person=given.contact_person,
    )


def subsidy_for(plan: Plan, case: Case) -> SubsidyResult | None:
    """The subsidy of the case's fee lines, or None when the case gives none."""
    fees = case.fees_by_item()
    if not fees:
        return None
    try:
        return compute_subsidy(plan.program, fees, case.rules_date(plan), previous_subsidy=case.previous_subsidy)
    except KeieiInputError as exc:
        raise KeieiInputError(f"{case.source}: engagement.fees", exc.message_ja, exc.message_en) from None


def estimate_groups(rules: ProgramRules, case: Case) -> list[dict[str, Any]]:
    """The estimate table: per item, its lines (or blank lines to fill) and the subtotal."""
    groups = []
    keys = sorted(rules.items, key=lambda k: ITEM_ORDER.index(k) if k in ITEM_ORDER else 99)
    for key in keys:
        item = rules.items[key]
        lines = [line for line in case.fees if line.item == key]
        if not lines and case.fees:
            continue
        groups.append(
            {
                "key": key,
                "label": item.label,
                "lines": lines,
                "blank_rows": 0 if lines else (3 if item.mandatory else 1),
                "total": sum(line.amount for line in lines) if lines else None,
                "optional": not item.mandatory,
            }
        )
    return groups


def _hours(value: Decimal) -> str:
    """20 / 1.5 (no trailing zeros, no exponent)."""
    return f"{value.normalize():f}"


def _attachments(program: str) -> list[str]:
    """Attachments of the plan payment claim (program-facts: Process, step 5)."""
    bank = "金融機関の受取書（メイン金融機関）" if program == "early" else "すべての取引金融機関の同意書"
    items = [
        f"{PLAN_NAMES[program]}",
        "自己記入チェックリスト",
        "業務別請求明細書",
        "従事時間管理表",
        "請求書（認定支援機関から事業者あて）",
        "事業者負担分（1/3）の振込を確認できる書類",
        bank,
    ]
    if program != "early":
        items += ["金融支援の明細", "着眼点実施確認表"]
    return items


def _bank_consent(f: Figures, index: int) -> dict[str, Any]:
    """What one bank is asked to consent to: its balance, cover, repayments, support."""
    bank = f.banks[index]
    plan_bank = f.plan.banks[index]
    periods = [y["period"] for y in f.plan_years]
    years = [
        {
            "label": fiscal_label(p),
            "repayment": bank["repayment"][p],
            "contractual": bank["contractual_repayment"][p],
            "closing": bank["closing_balance"][p],
            "borrowing": bank["borrowing"][p],
            "forgiven": bank["forgiven"][p],
        }
        for p in periods
    ]
    new_money = [nm for nm in f.check["financial_support"]["new_money"] if nm["bank"] == bank["name"]]
    forgiveness = [fg for fg in f.check["financial_support"]["forgiveness"] if fg["bank"] == bank["name"]]
    return {
        "name": bank["name"],
        "branch": plan_bank.branch,
        "type": plan_bank.type,
        "main": bank["main"],
        "balance": bank["balance"],
        "covered": bank["covered"],
        "uncovered": bank["uncovered"],
        "share": bank["share"],
        "years": years,
        "new_money": new_money,
        "forgiveness": forgiveness,
        "loans": [loan for loan in bank["loans"] if not loan["new"]],
        # what the consent quotes loan by loan: the new monthly instalment per plan year, the
        # month the terms start, the interest and the maturity under the plan
        "terms": [
            {
                "name": loan["name"],
                "start": loan["terms_start"],
                "interest": loan["interest_treatment"],
                "plan_rate": loan["plan_rate"],
                "maturity": loan["maturity"],
                "plan_maturity": loan["plan_maturity"],
                "monthly": [loan["monthly_instalment"][p] for p in periods],
            }
            for loan in bank["loans"]
            if loan["rescheduled"] and not loan["new"]
        ],
        "periods": [fiscal_label(p) for p in periods],
    }


def forms_context(f: Figures, case: Case) -> dict[str, Any]:
    plan = f.plan
    rules = program_rules(plan.program, case.rules_date(plan))
    subsidy = subsidy_for(plan, case)
    main_index = next((i for i, b in enumerate(plan.banks) if b.main), 0 if plan.banks else None)
    docs = form_docs(plan)
    consents = [] if plan.program == "early" else [_bank_consent(f, i) for i in range(len(plan.banks))]
    plan_claim = None
    if subsidy is not None:
        plan_claim = next((c for c in subsidy.payment_schedule if c.claim == "plan"), None)
    plan_items = ("plan", "dd")
    plan_fee = sum(i.fee for i in subsidy.items if i.item in plan_items) if subsidy else None
    plan_subsidy = sum(i.subsidy for i in subsidy.items if i.item in plan_items) if subsidy else None
    first_year = f.plan_years[0]
    base = f.actual_years[-1]
    return {
        "f": f,
        "case": case,
        "docs": docs,
        "note": FORM_NOTE,
        "program_name": PROGRAM_FORM_NAMES[plan.program],
        "plan_name": PLAN_NAMES[plan.program],
        "council": council_name(plan, case),
        "applicant": applicant(plan, case),
        "adviser": case.adviser,
        "application_date": date_label(case.application_date),
        "plan_date": date_label(case.plan_date),
        "blank_date": date_label(None),
        "acceptance_date": date_label(case.acceptance_date) if case.acceptance_date else None,
        "agreement_date": date_label(case.agreement_date),
        "span": plan_span(plan),
        "rules": rules,
        "subsidy": subsidy,
        "groups": estimate_groups(rules, case),
        "plan_claim": plan_claim,
        "plan_fee": plan_fee,
        "plan_company_share": None if plan_fee is None or plan_subsidy is None else plan_fee - plan_subsidy,
        "main_bank": None if main_index is None else _bank_consent(f, main_index),
        "consents": consents,
        "profile": profile_rows(f),
        "performance": overview.performance_table(f),
        "attachments": _attachments(plan.program),
        "first_year": first_year,
        "first_year_label": fiscal_label(first_year["period"]),
        "base_label": fiscal_label(base["period"]),
        "monitoring_rows": _monitoring_rows(f),
        "lapse_months": rules.deadlines.get("application_lapse_months_after_acceptance"),
        "claim_months": rules.deadlines.get("plan_claim_months_after_application"),
        "hours": _hours,
        "yen": yen_text,
        "amount": lambda v: amount_text(v, f.unit),
    }


def _monitoring_rows(f: Figures) -> list[tuple[str, int | None]]:
    """Plan year 1 figures the first monitoring compares with the actuals."""
    y = f.plan_years[0]
    bank_repayment = sum(b["repayment"][y["period"]] for b in f.banks)
    return [
        ("売上高", y["pl"]["sales"]),
        ("売上総利益", y["pl"]["gross_profit"]),
        ("営業利益", y["pl"]["operating_profit"]),
        ("経常利益", y["pl"]["ordinary_profit"]),
        ("当期純利益", y["pl"]["net_income"]),
        ("減価償却費", y["pl"]["depreciation"]),
        ("金融機関への返済額", bank_repayment if f.banks else None),
        ("有利子負債残高（期末）", y["bs"]["interest_bearing_debt"]),
        ("現預金残高（期末）", y["bs"]["cash"]),
        ("実態純資産（期末）", y["bs"]["adjusted_net_assets"]),
    ]


def build_forms(
    plan: Plan,
    case: Case | None,
    out_dir: str | Path,
    *,
    check: Mapping[str, Any] | None = None,
    unit: Unit | None = None,
    only: Sequence[str] | None = None,
) -> list[Part]:
    """Write every form of the programme into `out_dir` (or those whose key is in `only`)."""
    case = case or EMPTY_CASE
    f = figures_for(plan, check, unit=unit, on=case.application_date)
    context = forms_context(f, case)
    docs: list[FormDoc] = [d for d in context["docs"] if only is None or d.key in only]
    context["docs"] = docs
    html = render_html("forms.html", context)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    parts = [(out / f"{d.key}.pdf", d.title, d.anchor) for d in docs]
    return write_parts(html, parts, day=case.document_date(plan), author=plan.company.name)


def _one(plan: Plan, case: Case | None, out_path: str | Path, key: str, **kwargs: Any) -> Path:
    out = Path(out_path)
    parts = build_forms(plan, case, out.parent, only=[key], **kwargs)
    produced = parts[0].path
    if produced != out:
        produced.replace(out)
    return out


def build_application_form(plan: Plan, case: Case | None, out_path: str | Path, **kwargs: Any) -> Path:
    """利用申請書 (別紙1) with 申請者の概要 (1-1) and 業務別見積明細書 (1-3)."""
    return _one(plan, case, out_path, "form-1-application", **kwargs)


def build_receipt(plan: Plan, case: Case | None, out_path: str | Path, **kwargs: Any) -> Path:
    """The main bank's 受取書 (early)."""
    if plan.program != "early":
        raise KeieiInputError(
            "program", "受取書は早期経営改善計画策定支援の様式です", "receipt is for the early program"
        )
    return _one(plan, case, out_path, "form-2-receipt", **kwargs)


def build_consent(plan: Plan, case: Case | None, out_path: str | Path, *, bank: int, **kwargs: Any) -> Path:
    """The 同意書 of the `bank`-th lending bank (1-based; 405 and 405-gl)."""
    if plan.program == "early":
        raise KeieiInputError("program", "同意書は405事業の様式です（早期は受取書）", "consent is for 405 programs")
    return _one(plan, case, out_path, f"form-2-consent-{bank}", **kwargs)


def build_payment_claim(plan: Plan, case: Case | None, out_path: str | Path, **kwargs: Any) -> Path:
    """支払申請書 for the plan-formulation claim."""
    return _one(plan, case, out_path, "form-3-payment-claim", **kwargs)


def build_monitoring_report(plan: Plan, case: Case | None, out_path: str | Path, **kwargs: Any) -> Path:
    """A 伴走支援報告書 frame for the first monitoring."""
    return _one(plan, case, out_path, "form-4-monitoring-report", **kwargs)


__all__ = [
    "FORM_NOTE",
    "build_application_form",
    "build_consent",
    "build_forms",
    "build_monitoring_report",
    "build_payment_claim",
    "build_receipt",
    "form_docs",
]
