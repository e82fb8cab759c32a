"""The web case as the core's case file (`keiei.case.Case`), for the documents it builds.

The core's documents take what the plan file does not say from a `Case` (docs/documents.md,
"The case file"); the web already knows part of it, so every download passes `core_case(case)`:

- 利用申請日 (`application_date`): `Case.applied_on`;
- 計画策定日 (`plan_date`): for a plan version, the day it was first submitted to the banks
  (the plan they were asked to accept — the date on the 同意書, 受取書 and 支払申請書); None for
  a version never submitted to banks and without a version;
- 協議会 (`council`): the case's council;
- the applicant: the web's company (name, representative, postal code); what the web does not
  hold (address, phone, contact person) stays None, so the forms take the address from the
  plan's company and leave the rest blank;
- the certified adviser: the firm's name and 認定番号; its representative, address, contact and
  bank account (支払申請書's 振込先) are not in the web and print blank;
- 受理日 and the day every bank agreed (`acceptance_date`, `agreement_date`): `accepted_on`
  and `agreed_on`, printed on the 支払申請書.

Fees: the web holds one estimated amount per subsidy item (`Case.estimated_fees`,
tax-exclusive yen), not the task × hours × hourly-rate lines of a 業務別見積明細書. Each item
becomes one lump-sum line (`FeeLine.lump_sum`, task 見積額（一式）, hours and rate blank), so the
application shows the estimate and the subsidy the core computes from it, and no hours or
rate are invented (a council would read them as the adviser's estimate). An adviser who wants
the breakdown fills it in by hand or uses `keiei plan build --case` with a case file.
"""

from __future__ import annotations

from keiei.case.file import Adviser, Contact, FeeLine
from keiei.case.file import Case as CoreCase
from keiei_web.cases.models import Case
from keiei_web.cases.planport import Purpose
from keiei_web.plans.models import PlanVersion


def _text(value: str | None) -> str | None:
    """A blank model field is unknown (None) to the core: the form prints a line to fill."""
    value = (value or "").strip()
    return value or None


def fee_lines(case: Case) -> tuple[FeeLine, ...]:
    """One lump-sum line per estimated item, in the rules' item order; zero amounts and items the
    programme does not subsidise on the case's rules date are left out (the case form refuses them)."""
    items = case.rules.items
    fees = {str(k): int(v) for k, v in (case.estimated_fees or {}).items() if v}
    return tuple(FeeLine(item=k, task="見積額（一式）", lump_sum=fees[k]) for k in items if k in fees)


def core_case(case: Case, version: PlanVersion | None = None) -> CoreCase:
    """What the web knows of `case` (and of `version`, its plan date) as the core's `Case`."""
    plan_date = None
    if version is not None:
        first = version.submissions.filter(purpose=Purpose.BANKS).order_by("submitted_on", "id").first()
        plan_date = first.submitted_on if first is not None else None
    company, firm = case.company, case.adviser_firm
    return CoreCase(
        application_date=case.applied_on,
        plan_date=plan_date,
        council=_text(case.council.name),
        applicant=Contact(
            name=_text(company.name),
            representative=_text(company.representative),
            postal_code=_text(company.postal_code),
        ),
        adviser=Adviser(name=_text(firm.name), registration_number=_text(firm.certification_number)),
        acceptance_date=case.accepted_on,
        agreement_date=case.agreed_on,
        fees=fee_lines(case),
        previous_subsidy=None,
        source=case.reference,
    )
