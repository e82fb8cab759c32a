"""The case file: what the plan file does not say about a case (`--case CASE.yaml`).

Who applies, which certified adviser, the dates, and the fee estimate lines (task, hours,
hourly rate) from which the fee per subsidised item and the subsidy follow. Everything is
optional: a form prints a blank line to fill by hand for each missing value. Format and
examples: docs/documents.md; schema: case.schema.json. It lives in the core (not in
keiei.documents) because more than the forms read it: `keiei case due` answers what is due
when from the same file, without the documents extra installed. Read with the plan file's reader
(`keiei.plan.read_plan_data`: numbers as Decimal, dates kept as text, duplicate keys refused),
checked against the schema with the plan file's Japanese messages.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator

from keiei.dates import PLAN_WINDOW, text_problem
from keiei.errors import KeieiInputError
from keiei.money import to_yen
from keiei.plan import Plan, PlanInputError, read_plan_data
from keiei.plan.messages import format_path, sort_key, translate
from keiei.plan.names import name_and_remark


def default_document_date(plan: Plan) -> dt.date:
    """The date documents carry when the case gives none: the first day after the base period.

    Fixed by the plan (never today), so the same plan always gives the same files.
    """
    start = plan.base_period.plus_months(1)
    return dt.date(start.year, start.month, 1)


class CaseInputError(KeieiInputError):
    """A case file that cannot be used; `field` is the file and the path inside it."""


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None = None
    representative: str | None = None  # the name only; a remark goes in representative_note
    postal_code: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    contact_person: str | None = None
    representative_note: str | None = None


@dataclass(frozen=True, slots=True)
class BankAccount:
    bank: str | None = None
    branch: str | None = None
    type: str | None = None
    number: str | None = None
    holder: str | None = None


@dataclass(frozen=True, slots=True)
class Adviser:
    name: str | None = None
    representative: str | None = None  # the name only; a remark goes in representative_note
    registration_number: str | None = None
    kind: str | None = None
    postal_code: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    contact_person: str | None = None
    bank_account: BankAccount | None = None
    representative_note: str | None = None


@dataclass(frozen=True, slots=True)
class FeeLine:
    """One estimate line: `hours` × `rate` yen (tax-exclusive), truncated to whole yen — or,
    when the time is not broken down, a lump sum (`lump_sum`, shown as 一式).

    The lump sum exists for callers that hold one estimated amount per item and no hours (the
    web app's case keeps `estimated_fees` per subsidy item): inventing hours and a rate to
    reach the amount would put figures in the 業務別見積明細書 the adviser never gave.
    """

    item: str
    task: str
    hours: Decimal | None = None
    rate: int | None = None
    staff: str | None = None
    lump_sum: int | None = None

    def __post_init__(self) -> None:
        if self.lump_sum is None and (self.hours is None or self.rate is None):
            raise ValueError("a fee line needs hours and rate, or a lump sum")

    @property
    def amount(self) -> int:
        if self.lump_sum is not None:
            return self.lump_sum
        assert self.hours is not None and self.rate is not None  # __post_init__
        return to_yen(self.hours * self.rate, "truncate")


@dataclass(frozen=True, slots=True)
class Monitoring:
    """The monitoring section: when it started, its interval, and the sessions reported."""

    start_date: dt.date | None = None
    interval_months: int | None = None
    reports: tuple[tuple[int, dt.date], ...] = ()  # (session number, report date)

    def reported_on(self, seq: int) -> dt.date | None:
        return next((day for n, day in self.reports if n == seq), None)


@dataclass(frozen=True, slots=True)
class Case:
    application_date: dt.date | None = None
    plan_date: dt.date | None = None
    acceptance_date: dt.date | None = None  # the council accepted the application (支払申請書)
    agreement_date: dt.date | None = None  # the last bank's consent, or the early receipt (支払申請書)
    council: str | None = None
    applicant: Contact | None = None
    adviser: Adviser | None = None
    fees: tuple[FeeLine, ...] = ()
    previous_subsidy: int | None = None
    source: str = "<data>"
    program: str | None = None
    fiscal_year_end_month: int | None = None
    plan_claim_date: dt.date | None = None  # the plan payment claim (meets the main deadline)
    monitoring: Monitoring | None = None

    def document_date(self, plan: Plan) -> dt.date:
        """The date in the files' metadata: plan date, else application date, else the plan's."""
        return self.plan_date or self.application_date or default_document_date(plan)

    def rules_date(self, plan: Plan) -> dt.date:
        """The date whose programme rules apply: the application date (what the council uses)."""
        return self.application_date or self.plan_date or default_document_date(plan)

    def fees_by_item(self) -> dict[str, int]:
        """Total fee per subsidised item, in the order the lines first name the items."""
        out: dict[str, int] = {}
        for line in self.fees:
            out[line.item] = out.get(line.item, 0) + line.amount
        return out


EMPTY_CASE = Case()


def schema_path() -> Path:
    return Path(str(resources.files("keiei.case").joinpath("case.schema.json")))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(cast(dict[str, Any], json.loads(schema_path().read_text(encoding="utf-8"))))


def load_case(path: str | Path) -> Case:
    """Read and check a case file (.yaml/.yml/.json); raises `CaseInputError` only."""
    file = Path(path)
    try:
        data = read_plan_data(file)
    except PlanInputError as exc:
        field = exc.field if exc.field.startswith(str(file)) else f"{file}: {exc.field}"
        raise CaseInputError(field, exc.message_ja, exc.message_en) from None
    errors = list(_validator().iter_errors(data if data is not None else {}))
    if errors:
        problems = sorted((translate(e) for e in errors), key=lambda p: sort_key(p[0]))
        where, message = problems[0]
        field = f"{file}: {format_path(where)}"
        raise CaseInputError(field, message, f"case file schema violation at {format_path(where)}: {errors[0].message}")
    return parse_case(data or {}, str(file))


def _date(value: Any, field: str, source: str, section: str = "case") -> dt.date | None:
    """A case file date: an existing day within the plan window (keiei.dates.PLAN_WINDOW).

    Not bounded by today: documents are often prepared before the day they carry.
    """
    if value is None:
        return None
    text = str(value)
    reason = text_problem(text, PLAN_WINDOW)
    if reason is None:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            reason = f"日付は YYYY-MM-DD の形式（例: 2025-05-20）で指定してください（指定値: {text}）"
    raise CaseInputError(f"{source}: {section}.{field}", reason, f"{section}.{field}: unusable date {text!r}")


def _fields(cls: type[Any], raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """The text fields of a contact; a remark in brackets after the representative's name is
    moved to `representative_note` as the plan file does (keiei.plan.names)."""
    if not raw:
        return {}
    out = {k: (str(v) if v is not None else None) for k, v in raw.items() if k in cls.__slots__}
    if "representative" in cls.__slots__:
        out["representative"], out["representative_note"] = name_and_remark(
            out.get("representative"), out.get("representative_note")
        )
    return out


def parse_case(data: Mapping[str, Any], source: str = "<data>") -> Case:
    """A `Case` from data already checked against the schema (or built by a web form)."""
    case = data.get("case") or {}
    engagement = data.get("engagement") or {}
    adviser_raw = case.get("adviser")
    adviser = None
    if adviser_raw:
        account = adviser_raw.get("bank_account")
        adviser = Adviser(
            **_fields(Adviser, {k: v for k, v in adviser_raw.items() if k != "bank_account"}),
            bank_account=BankAccount(**_fields(BankAccount, account)) if account else None,
        )
    applicant = case.get("applicant")
    monitoring_raw = data.get("monitoring")
    monitoring = None
    if monitoring_raw is not None:
        interval = monitoring_raw.get("interval_months")
        monitoring = Monitoring(
            start_date=_date(monitoring_raw.get("start_date"), "start_date", source, "monitoring"),
            interval_months=None if interval is None else int(interval),
            reports=tuple(
                (int(r["session"]), _required_date(_date(r["date"], f"reports[{i}].date", source, "monitoring")))
                for i, r in enumerate(monitoring_raw.get("reports") or ())
            ),
        )
    fy_month = case.get("fiscal_year_end_month")
    return Case(
        application_date=_date(case.get("application_date"), "application_date", source),
        plan_date=_date(case.get("plan_date"), "plan_date", source),
        acceptance_date=_date(case.get("acceptance_date"), "acceptance_date", source),
        agreement_date=_date(case.get("agreement_date"), "agreement_date", source),
        council=case.get("council"),
        applicant=Contact(**_fields(Contact, applicant)) if applicant else None,
        adviser=adviser,
        fees=tuple(
            FeeLine(
                item=str(line["item"]),
                task=str(line["task"]),
                hours=None if line.get("hours") is None else Decimal(str(line["hours"])),
                rate=None if line.get("rate") is None else int(line["rate"]),
                staff=None if line.get("staff") is None else str(line["staff"]),
                lump_sum=None if line.get("amount") is None else int(line["amount"]),
            )
            for line in engagement.get("fees") or ()
        ),
        previous_subsidy=engagement.get("previous_subsidy"),
        source=source,
        program=None if case.get("program") is None else str(case["program"]),
        fiscal_year_end_month=None if fy_month is None else int(fy_month),
        plan_claim_date=_date(case.get("plan_claim_date"), "plan_claim_date", source),
        monitoring=monitoring,
    )


def _required_date(day: dt.date | None) -> dt.date:
    assert day is not None  # the schema requires it and `_date` maps only None to None
    return day
