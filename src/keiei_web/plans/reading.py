"""A submitted version read as a plan, not as JSON (for the banks first; `plans:read`).

What a bank needs to answer: the key figures by year (売上高, 経常利益, 純資産・実態純資産,
債務償還年数), its own share and loan-level schedule (monthly instalment by year, when the new
terms start, the maturity in the plan, the interest's treatment), the criteria's verdicts, the
documents it may download, and what changed since the version it was sent before.

Everything comes from the core's check of the version (`panel.evaluate` runs
`keiei.plancheck.run_check` exactly as `keiei plan check --json`) and the core's display rules
(`keiei.finance.display`); nothing is computed here. Which banks' rows a user reads is
`access.plan_banks_shown` (a bank: only its own); the diff drops every change about another
bank (its row, its loans, a key or a value naming it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from keiei.finance.display import indicator_text, percent_text
from keiei.plan.glossary import INTEREST_TREATMENT_LABELS, institution_words
from keiei_web import access
from keiei_web.accounts.choices import Role
from keiei_web.cases.models import Case
from keiei_web.cases.viewutils import case_context, case_view
from keiei_web.plans import panel
from keiei_web.plans.models import PlanVersion
from keiei_web.plans.versioning import Change, diff, flatten


@case_view(access.VIEW_PLAN)
def read_version(request: HttpRequest, case: Case, number: int) -> HttpResponse:
    versions = access.plan_versions_for(request.user, case)
    version = versions.filter(number=number).first()
    if version is None:
        raise Http404(_("計画の版が見つかりません。"))
    before = versions.filter(number__lt=number).order_by("-number").first()
    return render(
        request,
        "plans/read.html",
        {**case_context(request, case), **reading(request.user, case, version, before)},
    )


def reading(user: Any, case: Case, version: PlanVersion, before: PlanVersion | None) -> dict[str, Any]:
    """The page's content for `user` (the banks shown are decided by access.plan_banks_shown)."""
    from keiei_web.plans.views import _form_docs

    own = access.own_case_bank(user, case)
    plan_banks = [b for b in (version.data.get("banks") or []) if isinstance(b, dict)]
    kind = next(
        (
            str(b.get("type") or "")
            for b in plan_banks
            if own and access.is_own_plan_bank(user, case, str(b.get("name") or ""))
        ),
        "",
    )
    own_word, address = institution_words(kind, own.bank.name) if own else ("", "")
    out: dict[str, Any] = {
        "version": version,
        "before": before,
        "is_bank": access.role_of(user) == Role.BANK,
        "own_bank": own,
        "own_word": own_word,
        "address_word": address,
        "answerable": own is not None and own.status == "pending" and case.state == "bank_meeting",
    }
    evaluation = panel.evaluate(version.data, case.applied_on)
    check = evaluation.check
    out["readable"] = evaluation.valid and check is not None
    docs = _form_docs(version)
    out["forms"] = [d for d in docs or () if access.may_download_form(user, case, d.bank)]
    out["forms_zip"] = docs is not None and access.may_download_all_forms(user, case)
    names = [str(b.get("name") or "") for b in (check or {}).get("banks") or []]
    shown = set(access.plan_banks_shown(user, case, names))
    hidden = [n for n in [str(b.get("name") or "") for b in plan_banks] if n and n not in shown]
    out["changes"] = visible_changes(before.data if before else None, version.data, hidden) if before else []
    if check is None:
        return out
    out["years"] = [
        y | {"debt_years_text": indicator_text("debt_repayment_years", y["debt_years"])} for y in panel.key_years(check)
    ]
    out["banks"] = [_bank(b) for b in check.get("banks") or [] if str(b.get("name") or "") in shown]
    out["other_banks"] = len(names) - len(out["banks"])
    out["periods"] = [y["period"] for y in out["years"] if not y["actual"]]
    out["criteria"] = list(check.get("criteria") or [])
    out["summary"] = check.get("summary") or {}
    return out


def _bank(b: dict[str, Any]) -> dict[str, Any]:
    """One bank's position as the page shows it (display rules from the core)."""
    loans = []
    for loan in b.get("loans") or []:
        treatment = str(loan.get("interest_treatment") or "")
        loans.append(
            loan
            | {
                "interest_label": INTEREST_TREATMENT_LABELS.get(treatment, treatment),
                "rate_text": percent_text(loan.get("rate")),
                "plan_rate_text": percent_text(loan.get("plan_rate")),
                "extended": bool(loan.get("plan_maturity")) and loan.get("plan_maturity") != loan.get("maturity"),
            }
        )
    return b | {"share_text": indicator_text("share", b.get("share")), "loans": loans}


_INDEX = re.compile(r"^banks\[(\d+)\]")


def visible_changes(old: Any, new: Any, hidden_banks: Iterable[str]) -> list[Change]:
    """`versioning.diff(old, new)` without what concerns the banks in `hidden_banks`: their rows
    (`banks[i]…`), any object one of whose values names them (a new loan's `bank`, a guarantee),
    any key naming them (the shares of a rescheduling) and any value mentioning them."""
    hidden = {h for h in hidden_banks if h}
    if not hidden:
        return diff(old, new)
    prefixes: set[str] = set()
    for data in (old, new):
        for i, b in enumerate((data or {}).get("banks") or [] if isinstance(data, dict) else []):
            if isinstance(b, dict) and str(b.get("name") or "") in hidden:
                prefixes.add(f"banks[{i}]")
        for path, value in flatten(data).items():
            if isinstance(value, str) and any(h in value for h in hidden):
                prefixes.add(path.rsplit(".", 1)[0] if "." in path else path)

    def concerns_hidden(c: Change) -> bool:
        if any(c.path == p or c.path.startswith(p + ".") or c.path.startswith(p + "[") for p in prefixes):
            return True
        text = f"{c.path} {c.old} {c.new}"
        return any(h in text for h in hidden)

    return [c for c in diff(old, new) if not concerns_hidden(c)]
