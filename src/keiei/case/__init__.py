"""The case: the rules that follow a plan once it is applied for, without any web framework.

- `file`: the case file (`--case CASE.yaml`): who applies, dates, fee lines, monitoring;
- `schedule`: the monitoring (伴走支援) sessions the rules give;
- `deadlines`: the main deadline and each session, met / near / overdue on a day;
- `payments`: the subsidy of each payment claim (the plan claim, each monitoring claim);
- `due`: what is due when for a case file (`keiei case due`).

The web app stores cases in its database and calls these; the CLI reads a case file and calls
the same, so the two cannot disagree. Every constant comes from the dated rules (keiei.rules).
"""

from keiei.case.deadlines import Deadline, SessionState, case_deadlines, main_deadline, session_deadline
from keiei.case.due import DueItem, DueReport, case_due
from keiei.case.file import (
    EMPTY_CASE,
    Adviser,
    BankAccount,
    Case,
    CaseInputError,
    Contact,
    FeeLine,
    Monitoring,
    load_case,
    parse_case,
)
from keiei.case.payments import ClaimFigures, PriorClaim, monitoring_claim, plan_claim, plan_item_keys
from keiei.case.schedule import PlannedSession, first_fiscal_year_end, monitoring_schedule

__all__ = [
    "EMPTY_CASE",
    "Adviser",
    "BankAccount",
    "Case",
    "CaseInputError",
    "ClaimFigures",
    "Contact",
    "Deadline",
    "DueItem",
    "DueReport",
    "FeeLine",
    "Monitoring",
    "PlannedSession",
    "PriorClaim",
    "SessionState",
    "case_deadlines",
    "case_due",
    "first_fiscal_year_end",
    "load_case",
    "main_deadline",
    "monitoring_claim",
    "monitoring_schedule",
    "parse_case",
    "plan_claim",
    "plan_item_keys",
    "session_deadline",
]
