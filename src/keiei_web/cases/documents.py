"""Application documents (利用申請書 etc.): the hook the application transition calls.

For now it only lists what the rules say to prepare (`ProgramRules.application_documents`);
the later phase replaces the body with the generated forms (Excel/PDF from keiei.documents)
and keeps this signature, so the state machine need not change.
"""

from __future__ import annotations

from keiei_web.cases.models import Case


def prepare_application_documents(case: Case) -> list[str]:
    """The documents for the application of `case`; recorded in the audit trail."""
    return list(case.rules.application_documents)
