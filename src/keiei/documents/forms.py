"""The programme forms, filled from the plan and the case file.

- 利用申請書 (別紙1) with 申請者の概要 (1-1) and 業務別見積明細書 (1-3): fee lines → fee per item →
  subsidy from `keiei.subsidy.compute_subsidy` under the rules of the application date;
- 受取書 of the main bank (early) or one 同意書 per lending bank (405, 405-gl);
- 支払申請書 for the plan-formulation claim;
- a 伴走支援報告書 frame (plan year 1 figures beside blank actuals, the measures to report on).

The layouts follow the public descriptions of the forms (shared/docs/program-facts.md: their
names, what they contain, the attachments), not the official files, and every page says so.
Values the case file does not give are left as blank lines to fill by hand. Each form is one
Typst compile of `templates/forms.typ` with its own JSON (`form_data`): every figure is
formatted here, the template only lays it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from keiei.case.file import EMPTY_CASE, Case, Contact, default_document_date
from keiei.dates import month_text
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
    text_or_unfilled,
    yen_text,
)
from keiei.documents.overview import profile_rows
from keiei.documents.render import Part, document_meta, pairs, table_data, write_parts
from keiei.errors import KeieiInputError
from keiei.plan import Plan, glossary
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
    # the name and its remark travel together: the case's pair, else the plan's
    representative, note = (
        (given.representative, given.representative_note)
        if given.representative
        else (c.representative, c.representative_note)
    )
    return Contact(
        name=given.name or c.name,
        representative=representative,
        representative_note=note,
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
        # the institution's own word and the word addressing it (当金庫 / 貴庫 …)
        "self_word": glossary.institution_words(plan_bank.type, bank["name"])[0],
        "address_word": glossary.institution_words(plan_bank.type, bank["name"])[1],
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
    who = applicant(plan, case)
    council = council_name(plan, case)
    adviser = case.adviser
    return {
        "f": f,
        "case": case,
        "docs": docs,
        "note": FORM_NOTE,
        "program_name": PROGRAM_FORM_NAMES[plan.program],
        "plan_name": PLAN_NAMES[plan.program],
        "council": council,
        "applicant": who,
        "adviser": adviser,
        # names printed in running text (addressee lines, 殿, 御中): 未記入 when missing, never a
        # placeholder or a role in the name's place; the raw values above stay None for the
        # blank lines a form leaves to fill by hand
        "council_name": text_or_unfilled(council),
        "representative_name": text_or_unfilled(who.representative),
        "representative_remark": who.representative_note,
        "adviser_name": text_or_unfilled(adviser.name if adviser else None),
        "adviser_representative_name": text_or_unfilled(adviser.representative if adviser else None),
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
        # 別添1-1 is dated at the application: only what is known that day — the statements of
        # the years closed before it, no 実態純資産 (the due diligence's result), no balances of
        # a base year not yet closed, no remark on the representative (the plan decides it)
        "profile": profile_rows(f, known_on=_application_day(plan, case)),
        "performance": overview.performance_table(f, known_on=_application_day(plan, case), due_diligence=False),
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


def _application_day(plan: Plan, case: Case) -> dt.date:
    """The day the application form speaks for: the case's application date, else the first
    day after the base period (documents never depend on today)."""
    return case.application_date or default_document_date(plan)


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


INTEREST = {"paid": "約定どおり支払", "reduced": "減免", "deferred": "支払猶予"}
_CONTACT_FIELDS = ("name", "representative", "postal_code", "address", "phone", "contact_person", "registration_number")


def _contact(c: Any) -> dict[str, Any]:
    """A party's fields (None where the case gives none: the form draws a line to fill)."""
    return {k: (getattr(c, k, None) or None) if c is not None else None for k in _CONTACT_FIELDS}


def _month(text: str | None) -> str:
    return f"{text[:4]}年{int(text[5:7])}月" if text else ""


def _application(ctx: Mapping[str, Any]) -> dict[str, Any]:
    subsidy: SubsidyResult | None = ctx["subsidy"]
    rules: ProgramRules = ctx["rules"]
    yen = yen_text
    fee_rows: list[list[str | None]]
    fee_total: list[str | None]
    if subsidy:
        fee_rows = [[i.label, yen(i.fee), yen(i.subsidy)] for i in subsidy.items]
        fee_total = [yen(subsidy.total_fee), yen(subsidy.total_subsidy)]
    else:
        fee_rows = [[g["label"] + ("（任意）" if g["optional"] else ""), None, None] for g in ctx["groups"]]
        fee_total = [None, None]
    confirm = [
        "補助の対象は、利用申請の受理後に実施する業務に限られること。",
        "補助金（費用の2/3、上限あり）は協議会から認定経営革新等支援機関に支払われ、事業者は負担分を顧問料等と区別して振込で支払うこと。",
    ]
    if rules.plan_split:
        confirm.append("計画策定支援費用の補助は、計画策定時と最初の伴走支援時に半額ずつ支払われること。")
    if ctx["claim_months"]:
        confirm.append(f"利用申請から{ctx['claim_months']}か月以内に計画策定支援の支払申請を行うこと。")
    if ctx["lapse_months"]:
        confirm.append(f"受理から{ctx['lapse_months'] // 12}年を経過した申請は、延長の手続がない限り失効すること。")
    confirm.append("申請内容と策定した計画を、協議会および取引金融機関と共有すること。")
    estimate: list[dict[str, Any]] = []
    for g in ctx["groups"]:
        for k, line in enumerate(g["lines"]):
            lump = line.lump_sum is not None
            estimate.append(
                {
                    "kind": "line",
                    "group": g["label"] if k == 0 else "",
                    "task": line.task,
                    "staff": line.staff or "",
                    "lump": lump,
                    "hours": "" if lump else _hours(line.hours),
                    "rate": "" if lump else f"{line.rate:,}",
                    "amount": f"{line.amount:,}",
                }
            )
        for k in range(g["blank_rows"]):
            label = g["label"] + ("（任意）" if g["optional"] else "") if k == 0 else ""
            estimate.append({"kind": "blank", "group": label})
        total = g["total"]
        estimate.append({"kind": "sub", "group": f"{g['label']} 計", "amount": "" if total is None else f"{total:,}"})
    estimate.append({"kind": "sub", "group": "合計", "amount": f"{subsidy.total_fee:,}" if subsidy else ""})
    limited = {"item_cap": "（上限）", "total_cap": "（合計上限）", "cumulative_cap": "（累計上限）"}
    if subsidy:
        subsidy_rows: list[list[str | None]] = [
            [
                i.label + limited.get(i.limited_by or "", ""),
                yen(i.fee),
                yen(i.two_thirds),
                yen(i.cap),
                yen(i.subsidy),
                yen(i.fee - i.subsidy),
            ]
            for i in subsidy.items
        ]
        subsidy_rows.append(
            [
                "合計",
                yen(subsidy.total_fee),
                None,
                yen(rules.total_cap),
                yen(subsidy.total_subsidy),
                yen(subsidy.company_share),
            ]
        )
        notes = ["支払の時期: " + "／".join(f"{c.label} {yen(c.amount)}" for c in subsidy.payment_schedule)]
        notes += [f"※ {w.message}" for w in subsidy.warnings]
    else:
        subsidy_rows = [[item.label, "?", None, yen(item.cap), "?", "?"] for item in rules.items.values()]
        notes = ["※ 案件ファイル（--case）に業務別の時間と単価を記入すると、金額と補助額を計算して記入します。"]
    return {
        "fee_rows": fee_rows,
        "fee_total": fee_total,
        "confirm": confirm,
        "estimate": estimate,
        "subsidy_heading": f"補助金の計算（{rules.label}、{rules.as_of.year}年{rules.as_of.month}月{rules.as_of.day}日の規則）",
        "subsidy_rows": subsidy_rows,
        "subsidy_notes": notes,
    }


def _consent(ctx: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    fs = ctx["f"].check["financial_support"]
    yen = yen_text
    support: list[str] = []
    r = fs.get("rescheduling")
    if r:
        basis = "信用残高プロラタ（非保全残高の割合）" if r["basis"] == "uncovered" else "残高プロラタ（残高の割合）"
        support.append(
            f"返済条件の変更: 計画{r['from_year']}年目～{r['until_year']}年目、元金返済を返済原資の範囲とし、{basis}で配分する。"
        )
    support += [f"新規融資: {nm['loan']} {yen(nm['amount'])}（{fiscal_label(nm['period'])}）" for nm in b["new_money"]]
    support += [
        f"債務免除: {fg['loan'] + ' ' if fg.get('loan') else ''}{yen(fg['amount'])}（{fiscal_label(fg['period'])}）"
        for fg in b["forgiveness"]
    ]
    header = ["年度", "計画の返済額", "（参考）約定返済額"]
    header += ["新規融資"] if b["new_money"] else []
    header += ["債務免除"] if b["forgiveness"] else []
    header.append("期末残高")
    years = []
    for y in b["years"]:
        row = [y["label"], yen(y["repayment"]), yen(y["contractual"])]
        row += [yen(y["borrowing"])] if b["new_money"] else []
        row += [yen(y["forgiven"])] if b["forgiveness"] else []
        row.append(yen(y["closing"]))
        years.append(row)
    terms = []
    for t in b["terms"]:
        interest = INTEREST.get(t["interest"], t["interest"])
        if t["interest"] == "reduced" and t["plan_rate"] is not None:
            interest += f"（年{float(t['plan_rate']) * 100:.2f}%）"
        maturity = month_text(t["plan_maturity"]) if t["plan_maturity"] else "－"
        if t["plan_maturity"] and t["maturity"] and t["plan_maturity"] != t["maturity"]:
            maturity += f"（約定 {month_text(t['maturity'])} から延長）"
        terms.append(
            [t["name"], _month(t["start"]) if t["start"] else "約定どおり", interest, maturity]
            + [yen(v) for v in t["monthly"]]
        )
    share = f"（返済シェア {float(b['share']) * 100:.1f}%）" if b["share"] is not None else ""
    return {
        "name": b["name"],
        "branch": b["branch"] or None,
        "loans": [
            [loan["name"], yen(loan["balance"]), yen(loan["covered"]), yen(loan["uncovered"])] for loan in b["loans"]
        ],
        "total": ["合計" + share, yen(b["balance"]), yen(b["covered"]), yen(b["uncovered"])],
        "support": support,
        "year_header": header,
        "years": years,
        "terms_header": ["借入", "適用開始", "利息", "最終期限", *(f"月額返済\n{p}" for p in b["periods"])],
        "terms": terms,
    }


def form_data(ctx: Mapping[str, Any], doc: FormDoc, day: Any) -> dict[str, Any]:
    """The JSON `templates/forms.typ` reads for one form: every value already formatted."""
    f: Figures = ctx["f"]
    plan = f.plan
    applicant_: Contact = ctx["applicant"]
    main = ctx["main_bank"]
    data: dict[str, Any] = {
        "meta": document_meta(doc.title, plan.company.name, day),
        "note": ctx["note"],
        "program_name": ctx["program_name"],
        "plan_name": ctx["plan_name"],
        "council": ctx["council"],
        "applicant": _contact(applicant_),
        "adviser": _contact(ctx["adviser"]),
        "application_date": ctx["application_date"],
        "plan_date": ctx["plan_date"],
        "blank_date": ctx["blank_date"],
        "acceptance_date": ctx["acceptance_date"],
        "agreement_date": ctx["agreement_date"],
        "span": ctx["span"],
        "unit": f.unit,
        "main_bank": (main["name"] + (f" {main['branch']}" if main["branch"] else "")) if main else None,
        "bank_self": "当行（当金庫・当組合）",
        "base_label": ctx["base_label"],
    }
    data["applicant"]["name"] = applicant_.name or ""
    if doc.anchor == "doc-application":
        data.update(
            doc="application",
            application=_application(ctx),
            profile=pairs(ctx["profile"]),
            performance=table_data(ctx["performance"], f.unit),
            causes=list(plan.causes_of_distress),
            policy=list(plan.basic_policy),
        )
    elif doc.anchor == "doc-receipt":
        data.update(
            doc="receipt", bank={"name": main["name"] if main else None, "branch": main["branch"] if main else None}
        )
        if main:
            data["bank_self"] = main.get("self_word") or data["bank_self"]
    elif doc.anchor.startswith("doc-consent-"):
        b = ctx["consents"][int(doc.anchor.removeprefix("doc-consent-")) - 1]
        notes = f.check["financial_support"].get("notes")
        data.update(
            doc="consent",
            bank=_consent(ctx, b),
            addressee_representative=applicant_.representative or "未記入",
            support_notes=notes or None,
            bank_self=b.get("self_word") or data["bank_self"],
        )
    elif doc.anchor == "doc-claim":
        rules: ProgramRules = ctx["rules"]
        acct = ctx["adviser"].bank_account if ctx["adviser"] else None
        claim = ctx["plan_claim"]
        data.update(
            doc="claim",
            claim={
                "agreement_label": "受取書の日付" if plan.program == "early" else "同意書の取得日（全行）",
                "plan_fee": None if ctx["plan_fee"] is None else yen_text(ctx["plan_fee"]),
                "company_share": None if ctx["plan_company_share"] is None else yen_text(ctx["plan_company_share"]),
                "amount": yen_text(claim.amount) if claim else None,
                "split": bool(rules.plan_split),
                "account": {
                    k: (getattr(acct, k, None) or None) for k in ("bank", "branch", "type", "number", "holder")
                },
                "attachments": ctx["attachments"],
            },
        )
    else:
        kind = (
            "□ 期中（任意）　□ 期末（決算期・必須）"
            if plan.program == "early"
            else "□ 1年目　□ 2年目　□ 3年目（計画策定後 おおむね3年間）"
        )
        data.update(
            doc="monitoring",
            monitoring={
                "kind": kind,
                "first_year_label": ctx["first_year_label"],
                "rows": [[label, ctx["amount"](v)] for label, v in ctx["monitoring_rows"]],
                "actions": [
                    [
                        a.measure,
                        "\n".join(x for x in (a.owner or "", month_text(a.deadline) if a.deadline else "") if x),
                        a.kpi or "",
                    ]
                    for a in plan.action_plan
                ],
            },
        )
    return data


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
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    day = case.document_date(plan)
    parts = [(out / f"{d.key}.pdf", d.title, form_data(context, d, day)) for d in docs]
    return write_parts("forms.typ", parts, day=day)


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
