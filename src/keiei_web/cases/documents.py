"""Application documents (利用申請書 etc.): the hook the application transition calls.

It returns the list the dated rules name for the programme (`ProgramRules.application_documents`),
which the application transition records in the audit trail: what was due on the day of the
application. The forms themselves (Excel/PDF from keiei.documents) are not built here but on
demand from a frozen plan version (`keiei_web.plans.views.download`, kept by `plans.doccache`), so
the state machine never waits on a document build.
"""

from __future__ import annotations

from keiei_web.cases.models import Case


def prepare_application_documents(case: Case) -> list[str]:
    """The documents for the application of `case`; recorded in the audit trail."""
    return list(case.rules.application_documents)
