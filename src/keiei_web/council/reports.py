"""Council figures: subsidy totals by fiscal year (年度, April–March) and the CSV of cases.

Summed in Python from the stored claims (not with database date functions), so SQLite and
PostgreSQL give the same answer; a council has hundreds of cases, not millions.

Every CSV cell goes through `keiei.documents.escape.csv_cell`: company, firm and bank names
are typed by users, and a name starting with `=`, `+`, `-` or `@` would run as a formula in
the council's Excel (OWASP "CSV injection"); numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from keiei.documents.escape import csv_cell
from keiei.plan.periods import fiscal_year, fiscal_year_label
from keiei_web.cases.deadlines import deadlines_for, is_closed
from keiei_web.cases.models import Case, ClaimStatus, PaymentClaim


@dataclass
class FiscalYearTotal:
    year: int
    claims: int = 0
    fees: int = 0
    subsidy_claimed: int = 0
    subsidy_approved: int = 0
    company_share: int = 0
    by_program: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return fiscal_year_label(self.year)


def subsidy_by_fiscal_year(claims: Iterable[PaymentClaim]) -> list[FiscalYearTotal]:
    """Totals per fiscal year of the claim date; returned claims are left out. Newest year first."""
    totals: dict[int, FiscalYearTotal] = {}
    for claim in claims:
        if claim.status == ClaimStatus.RETURNED:
            continue
        year = fiscal_year(claim.claimed_on)
        t = totals.setdefault(year, FiscalYearTotal(year))
        t.claims += 1
        t.fees += claim.total_fee
        t.subsidy_claimed += claim.subsidy
        t.company_share += claim.company_share
        if claim.status == ClaimStatus.APPROVED:
            t.subsidy_approved += claim.subsidy
        program = claim.case.program
        t.by_program[program] = t.by_program.get(program, 0) + claim.subsidy
    return [totals[y] for y in sorted(totals, reverse=True)]


def csv_header() -> list[str]:
    return [
        _("案件番号"),
        _("事業者"),
        _("都道府県"),
        _("事業区分"),
        _("状態"),
        _("認定支援機関"),
        _("メイン金融機関"),
        _("相談日"),
        _("利用申請日"),
        _("受理日"),
        _("主な期限"),
        _("期限の状況"),
        _("期限超過の件数"),
        _("補助額（申請済）"),
        _("補助額（承認済）"),
        _("事業者負担額"),
    ]


STATUS_WORDS = {
    "met": "済",
    "overdue": "期限超過",
    "soon": "期限間近",
    "open": "期限前",
    "closed": "終了",
}


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def case_row(case: Case, today: dt.date) -> list[str | int]:
    closed = is_closed(case)
    deadlines = deadlines_for(case)
    main = deadlines[0] if deadlines and not deadlines[0].code.startswith("session_") else None
    overdue = sum(1 for d in deadlines if d.status(today, closed) == "overdue")
    claims = [c for c in case.claims.all() if c.status != ClaimStatus.RETURNED]
    main_bank = next((cb.bank.name for cb in case.banks.all() if cb.is_main), "")
    return [
        case.reference,
        case.company.name,
        case.company.prefecture,
        case.program_label,
        case.state_label,
        case.adviser_firm.name,
        main_bank,
        _iso(case.consulted_on),
        _iso(case.applied_on),
        _iso(case.accepted_on),
        _iso(main.due) if main else "",
        STATUS_WORDS[main.status(today, closed)] if main else "",
        overdue,
        sum(c.subsidy for c in claims),
        sum(c.subsidy for c in claims if c.status == ClaimStatus.APPROVED),
        sum(c.company_share for c in claims),
    ]


def cases_csv(cases: Iterable[Case], today: dt.date) -> bytes:
    """UTF-8 with a BOM and CRLF line ends, so Excel opens the Japanese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in csv_header()])
    for case in cases:
        writer.writerow([csv_cell(value) for value in case_row(case, today)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
