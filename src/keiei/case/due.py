"""What is due when for a case file: the main deadline and every monitoring session, each with
its status on a day (`keiei case due FILE --on DATE`).

The same functions as the web app's case page (keiei.case.deadlines, keiei.case.schedule),
fed from the case file instead of the database: the programme and 決算月 (`case.program`,
`case.fiscal_year_end_month`, or the plan file's), the rules of the application date (as the
subsidy uses), the plan payment claim date, and the monitoring section (start, interval, the
sessions reported).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from keiei.case.deadlines import STATUS_LABELS, Deadline, SessionState, case_deadlines
from keiei.case.file import Case, CaseInputError
from keiei.case.schedule import monitoring_schedule
from keiei.errors import KeieiInputError
from keiei.rules import PROGRAM_LABELS, ProgramRules, check_program, rules_for


@dataclass(frozen=True)
class DueItem:
    deadline: Deadline
    status: str
    days_left: int

    def as_dict(self) -> dict[str, Any]:
        d = self.deadline
        return {
            "code": d.code,
            "label": d.label,
            "due": d.due.isoformat(),
            "status": self.status,
            "status_label": STATUS_LABELS[self.status],
            "days_left": self.days_left,
            "met_on": None if d.met_on is None else d.met_on.isoformat(),
            "basis": d.basis,
            "enforced": d.enforced,
        }


@dataclass(frozen=True)
class DueReport:
    program: str
    rules_date: dt.date
    on: dt.date
    items: tuple[DueItem, ...]
    notes: tuple[str, ...]

    @property
    def program_label(self) -> str:
        return PROGRAM_LABELS[self.program]

    def as_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "program_label": self.program_label,
            "rules_date": self.rules_date.isoformat(),
            "on": self.on.isoformat(),
            "items": [i.as_dict() for i in self.items],
            "notes": list(self.notes),
        }


def _fail(case: Case, where: str, ja: str, en: str) -> CaseInputError:
    return CaseInputError(f"{case.source}: {where}", ja, en)


def _rules(case: Case, program: str) -> tuple[dt.date, ProgramRules]:
    """The rules of the application date (the plan date when the file has no application yet)."""
    day = case.application_date or case.plan_date
    if day is None:
        raise _fail(
            case,
            "case.application_date",
            "利用申請日（case.application_date）を書いてください（期限はこの日の規則で決まります）",
            "the case file needs case.application_date to know which rules apply",
        )
    try:
        return day, rules_for(program, day)
    except KeieiInputError as exc:
        if isinstance(exc, CaseInputError) or exc.field != "--date":
            raise
        raise _fail(case, "case.application_date", exc.message_ja, exc.message_en) from None


def _sessions(case: Case, rules: ProgramRules, fiscal_year_end_month: int | None) -> list[SessionState]:
    monitoring = case.monitoring
    if monitoring is None or monitoring.start_date is None:
        return []
    low, high = rules.monitoring_interval_months
    interval = monitoring.interval_months or high
    if not low <= interval <= high:
        raise _fail(
            case,
            "monitoring.interval_months",
            f"伴走支援の間隔は {low}〜{high} か月です（指定値: {interval}）",
            f"interval {interval} outside {low}..{high}",
        )
    if "monitoring_end" in rules.items and fiscal_year_end_month is None:
        raise _fail(
            case,
            "case.fiscal_year_end_month",
            "期末の伴走支援の期限には決算月が必要です。case.fiscal_year_end_month を書くか --plan で計画ファイルを指定してください",
            "the year-end session needs the fiscal year end month",
        )
    planned = monitoring_schedule(rules, monitoring.start_date, interval, fiscal_year_end_month or 12)
    for i, (seq, _day) in enumerate(monitoring.reports):
        if not 1 <= seq <= len(planned):
            raise _fail(
                case,
                f"monitoring.reports[{i}].session",
                f"第{seq}回の伴走支援は予定にありません（予定は第1回〜第{len(planned)}回）",
                f"session {seq} is not planned (1..{len(planned)})",
            )
    return [SessionState(p.seq, p.kind, p.due_on, p.mandatory, monitoring.reported_on(p.seq)) for p in planned]


def case_due(
    case: Case,
    on: dt.date,
    *,
    program: str | None = None,
    fiscal_year_end_month: int | None = None,
) -> DueReport:
    """What is due when for `case` on `on`; `program` and the 決算月 fill what the file omits.

    Raises `CaseInputError` naming the file and the field for what cannot be answered.
    """
    chosen = case.program or program
    if chosen is None:
        raise _fail(
            case,
            "case.program",
            "事業区分（case.program: early, 405, 405-gl）を書くか --plan で計画ファイルを指定してください",
            "the case file needs case.program (or a plan file)",
        )
    check_program(chosen, f"{case.source}: case.program")
    rules_date, rules = _rules(case, chosen)
    fy_month = case.fiscal_year_end_month or fiscal_year_end_month
    sessions = _sessions(case, rules, fy_month)
    deadlines = case_deadlines(rules, case.application_date, case.acceptance_date, case.plan_claim_date, sessions)
    notes: list[str] = []
    if rules.deadlines.get("application_lapse_months_after_acceptance") is not None and case.acceptance_date is None:
        notes.append("受理日（case.acceptance_date）を書くと、利用申請の失効日を示します")
    if not sessions:
        notes.append("伴走支援の予定は monitoring.start_date（計画策定支援の支払が承認された日）を書くと示します")
    items = tuple(DueItem(d, d.status(on), d.days_left(on)) for d in deadlines)
    return DueReport(chosen, rules_date, on, items, tuple(notes))
