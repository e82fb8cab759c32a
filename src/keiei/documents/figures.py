"""What every document reads: the plan, its projection as JSON-ready data, the check, labels.

Why the projection is recomputed here rather than read from the check: the check
(`keiei.plancheck.run_check`) is the verdict layer and carries the criteria; the documents also
need the detail lines (segments, SG&A accounts, 実態BS, per-loan tables, the monthly cash table)
that `keiei.finance.to_dict` always has. Projecting is a few milliseconds and pure, so both come
from the same engine on the same plan and cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from keiei.case.file import default_document_date as default_document_date
from keiei.dates import wareki, wareki_year
from keiei.documents.check import plan_check
from keiei.errors import KeieiInputError
from keiei.money import format_thousand_yen, format_yen
from keiei.plan import Plan
from keiei.plan.periods import Period, period_label
from keiei.rules import PROGRAM_LABELS, ProgramRules, program_start, rules_for

Unit = Literal["円", "千円"]

PROGRAM_TITLES: dict[str, str] = {
    "early": "早期経営改善計画書",
    "405": "経営改善計画書",
    "405-gl": "経営改善計画書",
}
PROGRAM_SUBTITLES: dict[str, str] = {
    "early": "早期経営改善計画策定支援（バリューアップ支援）",
    "405": "経営改善計画策定支援（405事業）",
    "405-gl": "経営改善計画策定支援（405事業）中小版GL枠 ―「中小企業の事業再生等に関するガイドライン」第三部に基づく計画",
}
FULL_PROGRAMS = ("405", "405-gl")


@dataclass(frozen=True)
class Figures:
    """One plan under one scenario: the typed plan and its check (`keiei.plancheck.run_check`).

    The check is `keiei.finance.to_dict` of the projection plus the verdicts, so the numbers
    (`years`, `banks`, `financial_support`…) and the criteria come from one call.
    """

    plan: Plan
    check: Mapping[str, Any]
    unit: Unit

    @property
    def scenario(self) -> str:
        return str((self.check.get("scenario") or {}).get("name") or "base")

    @property
    def years(self) -> list[dict[str, Any]]:
        return list(self.check["years"])

    @property
    def actual_years(self) -> list[dict[str, Any]]:
        return [y for y in self.years if y["kind"] == "actual"]

    @property
    def plan_years(self) -> list[dict[str, Any]]:
        return [y for y in self.years if y["kind"] == "plan"]

    @property
    def banks(self) -> list[dict[str, Any]]:
        return list(self.check["banks"])

    @property
    def full_program(self) -> bool:
        """405 and 405-gl: the full set of statements and the per-bank tables."""
        return self.plan.program in FULL_PROGRAMS

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return list(self.check.get("criteria") or [])

    @property
    def program_label(self) -> str:
        return PROGRAM_LABELS[self.plan.program]

    @property
    def title(self) -> str:
        return PROGRAM_TITLES[self.plan.program]

    @property
    def unit_note(self) -> str:
        return f"（単位：{self.unit}）"


def figures_for(
    plan: Plan,
    check: Mapping[str, Any] | None = None,
    *,
    unit: Unit | None = None,
    scenario: str = "base",
    on: dt.date | None = None,
) -> Figures:
    """The figures of `plan`: `check` as given, else `run_check(plan, scenario, on=on)`."""
    return Figures(plan, check if check is not None else plan_check(plan, scenario, on=on), unit or plan.display_unit)


# --------------------------------------------------------------------------- labels


def period_of(text: str) -> Period:
    return Period.parse(text)


def month_date(period: Period) -> dt.date:
    return dt.date(period.year, period.month, 1)


def fiscal_label(text: str) -> str:
    """2025年3月期."""
    return period_label(period_of(text))


def fiscal_label_wareki(text: str) -> str:
    """令和7年3月期 (平成31年3月期 for 2019-03: the era of the month the year ends in)."""
    p = period_of(text)
    return f"{wareki_year(month_date(p))}{p.month}月期"


def month_label(text: str) -> str:
    p = period_of(text)
    return f"{p.year}年{p.month}月"


def month_label_wareki(text: str) -> str:
    p = period_of(text)
    return f"{wareki_year(month_date(p))}{p.month}月"


def short_period(text: str) -> str:
    """2025/3 (chart axes)."""
    p = period_of(text)
    return f"{p.year}/{p.month}"


#: What a document prints where a name or value the case should give is missing. A visible
#: word, never a placeholder that reads like a name (「（認定支援機関名）」) or a role in a
#: name's place (「代表者　殿」): a reviewer sees at once what is still to be filled in.
UNFILLED = "未記入"


def text_or_unfilled(value: str | None) -> str:
    """The text, or 未記入 when it is missing or empty."""
    return value if value and value.strip() else UNFILLED


def date_label(day: dt.date | None, *, blank: str = "令和　　年　　月　　日") -> str:
    """令和7年5月20日, or the blank to fill by hand."""
    return blank if day is None else wareki(day)


def date_label_both(day: dt.date | None) -> str:
    """2025年5月20日（令和7年5月20日）, or a blank."""
    if day is None:
        return "　　　　年　　月　　日"
    return f"{day.year}年{day.month}月{day.day}日（{wareki(day)}）"


def founded_label(text: str) -> str:
    """設立: 1978年4月1日（昭和53年4月1日）, 2015年4月（平成27年4月）, 2015年, or as written."""
    try:
        if len(text) == 10:
            return date_label_both(dt.date.fromisoformat(text))
        if len(text) == 7:
            p = Period.parse(text)
            return f"{p.year}年{p.month}月（{month_label_wareki(text)}）"
        if len(text) == 4:
            return f"{int(text)}年（{wareki_year(dt.date(int(text), 12, 31))}）"
    except ValueError:
        pass
    return text


def plan_span(plan: Plan) -> str:
    """計画期間: 2025年4月～2030年3月（令和7年4月～令和12年3月、5年間）."""
    first = plan.base_period.plus_months(1)
    last = plan.plan_periods[-1]
    return (
        f"{first.year}年{first.month}月～{last.year}年{last.month}月"
        f"（{wareki_year(month_date(first))}{first.month}月～{wareki_year(month_date(last))}{last.month}月、"
        f"{plan.drivers.years}年間）"
    )


# --------------------------------------------------------------------------- amounts


def in_unit(amount: int, unit: Unit) -> int:
    """The figure shown for `amount` yen: yen, or thousands truncated toward zero.

    Truncation is keiei's 千円 convention (`money.format_thousand_yen`, also used by the check's
    messages), so a PDF's tables and its criteria sentences agree.
    """
    if unit == "円":
        return amount
    return int(Decimal(amount) / 1000)


def amount_text(amount: int | None, unit: Unit, *, blank: str = "") -> str:
    """1,234 / △1,234 in the display unit (no unit suffix)."""
    if amount is None:
        return blank
    return format_yen(amount, unit="") if unit == "円" else format_thousand_yen(amount)


def yen_text(amount: int | None, *, blank: str = "") -> str:
    """1,234,567円 / △1,234円."""
    return blank if amount is None else format_yen(amount)


def program_rules(program: str, day: dt.date) -> ProgramRules:
    """The rules in force on `day`, or on the programme's first day for earlier dates."""
    try:
        return rules_for(program, day)
    except KeieiInputError:
        return rules_for(program, program_start(program))
