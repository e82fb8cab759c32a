"""Several imported files (`actuals.yaml`) as one set of months, checked against the plan.

Why a step of its own: an adviser imports the books month by month or quarter by quarter,
from one package or another; the comparison needs one figure per month. What can go wrong
here is the adviser's input, not the arithmetic, so every problem is a finding (Japanese,
naming the month and the file), never an exception:

- a file of another company (the plan's company name or fiscal year-end differs from the
  one recorded at import) → error, the file is left out;
- a month outside the plan years (another fiscal year, or before the plan) → error, the
  month is left out;
- a month in two files → left out of the later file; an error naming both files unless the
  figures are identical (the same export imported twice: an info);
- a month missing between the first month of a fiscal year and the last month imported →
  warning: the cumulative figures compare like with like (the plan of the months present),
  so a missing month shows as a gap, not as a shortfall.

A trial balance may cover a span (`first`..`month`, e.g. freee's 試算表 for 10–3月): it stays one
period; its plan is the sum of the plan of its months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from keiei.errors import Finding, Severity
from keiei.monitoring.actuals import Actuals, PeriodFigures
from keiei.plan import model as m
from keiei.plan.periods import Period


@dataclass(frozen=True)
class ImportedPeriod:
    """One period of actual figures (a month, or a span a trial balance covers) and its file."""

    first: Period
    last: Period
    pl: dict[str, int]
    bs_change: dict[str, int]
    bs: dict[str, int] | None
    file: str
    #: The plan year (1-based) the period belongs to; a period never straddles two.
    plan_year: int

    @property
    def months(self) -> tuple[Period, ...]:
        return tuple(self.first.plus_months(k) for k in range(self.last.index - self.first.index + 1))

    @property
    def label(self) -> str:
        return str(self.last) if self.first == self.last else f"{self.first}〜{self.last}"


@dataclass(frozen=True)
class Merged:
    """The months to compare, in order, and what was found while merging."""

    periods: tuple[ImportedPeriod, ...]
    findings: tuple[Finding, ...]
    files: tuple[str, ...]

    def by_plan_year(self) -> dict[int, tuple[ImportedPeriod, ...]]:
        out: dict[int, list[ImportedPeriod]] = {}
        for period in self.periods:
            out.setdefault(period.plan_year, []).append(period)
        return {year: tuple(items) for year, items in out.items()}


def plan_year_of(plan: m.Plan, month: Period) -> int | None:
    """The 1-based plan year `month` falls in, or None outside the plan years."""
    offset = month.index - plan.base_period.index
    if offset < 1 or offset > 12 * plan.drivers.years:
        return None
    return (offset - 1) // 12 + 1


def _same(a: PeriodFigures, b: PeriodFigures) -> bool:
    return (a.first, a.month, a.pl, a.bs_change, a.bs) == (b.first, b.month, b.pl, b.bs_change, b.bs)


def merge_actuals(plan: m.Plan, files: Sequence[tuple[str, Actuals]]) -> Merged:
    """Merge the imported files (name, actuals) for comparison with `plan` (module doc)."""
    findings: list[Finding] = []
    taken: dict[Period, tuple[str, PeriodFigures]] = {}
    kept: list[ImportedPeriod] = []
    names = tuple(name for name, _ in files)
    first_plan, last_plan = plan.base_period.plus_months(1), plan.plan_periods[-1]
    for name, actuals in files:
        if actuals.plan_company is not None and actuals.plan_company != plan.company.name:
            findings.append(
                Finding(
                    "monitor.other_company",
                    Severity.ERROR,
                    f"{name}: 計画「{actuals.plan_company}」の実績として取り込まれたファイルです"
                    f"（この計画は「{plan.company.name}」）。このファイルは比べません",
                    name,
                    passed=False,
                )
            )
            continue
        fy_end = actuals.fiscal_year_end_month
        if fy_end is not None and fy_end != plan.company.fiscal_year_end_month:
            findings.append(
                Finding(
                    "monitor.other_fiscal_year",
                    Severity.ERROR,
                    f"{name}: 決算月が {fy_end} 月のファイルです（計画は {plan.company.fiscal_year_end_month} 月決算）。"
                    "このファイルは比べません",
                    name,
                    passed=False,
                )
            )
            continue
        if actuals.errors:
            findings.append(
                Finding(
                    "monitor.import_errors",
                    Severity.WARNING,
                    f"{name}: 取り込みのときのエラーが {len(actuals.errors)} 件あります（その行・伝票は数字に入っていません）",
                    name,
                    passed=False,
                )
            )
        for figures in actuals.periods:
            first, last = Period.parse(figures.first), Period.parse(figures.month)
            year_first, year_last = plan_year_of(plan, first), plan_year_of(plan, last)
            if year_first is None or year_last is None:
                findings.append(
                    Finding(
                        "monitor.outside_plan",
                        Severity.ERROR,
                        f"{name}: {_label(first, last)} は計画期間（{first_plan}〜{last_plan}）の外です"
                        "（別の年度・別の会社のファイルではありませんか）。この月は比べません",
                        f"{name}:{figures.month}",
                        passed=False,
                        details={"file": name, "month": figures.month},
                    )
                )
                continue
            if year_first != year_last:
                findings.append(
                    Finding(
                        "monitor.span_crosses_year",
                        Severity.ERROR,
                        f"{name}: {_label(first, last)} は2つの事業年度にまたがります。年度ごとの試算表にしてください",
                        f"{name}:{figures.month}",
                        passed=False,
                    )
                )
                continue
            months = [first.plus_months(k) for k in range(last.index - first.index + 1)]
            clash = next((taken[mo] for mo in months if mo in taken), None)
            if clash is not None:
                other_name, other = clash
                if _same(other, figures):
                    findings.append(
                        Finding(
                            "monitor.month_repeated",
                            Severity.INFO,
                            f"{_label(first, last)} は {other_name} と {name} の両方にあり、数字は同じです（1回だけ数えます）",
                            f"{name}:{figures.month}",
                            passed=True,
                        )
                    )
                else:
                    findings.append(
                        Finding(
                            "monitor.month_twice",
                            Severity.ERROR,
                            f"{_label(first, last)} の実績が {other_name} と {name} の両方にあり、数字が違います。"
                            f"{name} の方は比べません（正しい方だけを指定してください）",
                            f"{name}:{figures.month}",
                            passed=False,
                            details={"files": [other_name, name], "month": figures.month},
                        )
                    )
                continue
            for mo in months:
                taken[mo] = (name, figures)
            kept.append(
                ImportedPeriod(
                    first,
                    last,
                    dict(figures.pl),
                    dict(figures.bs_change),
                    dict(figures.bs) if figures.bs is not None else None,
                    name,
                    year_first,
                )
            )
    kept.sort(key=lambda p: p.last)
    findings.extend(_gaps(plan, kept))
    if not kept:
        findings.append(
            Finding(
                "monitor.no_months",
                Severity.ERROR,
                "計画と比べられる月がありません（計画期間の中の月の実績を指定してください）",
                passed=False,
            )
        )
    return Merged(tuple(kept), tuple(findings), names)


def _label(first: Period, last: Period) -> str:
    return str(last) if first == last else f"{first}〜{last}"


def _gaps(plan: m.Plan, periods: Sequence[ImportedPeriod]) -> list[Finding]:
    """Months missing between each plan year's first month and its last imported month."""
    covered = {mo for p in periods for mo in p.months}
    out: list[Finding] = []
    last_by_year: dict[int, Period] = {}
    for p in periods:
        last_by_year[p.plan_year] = max(p.last, last_by_year.get(p.plan_year, p.last))
    for year, last in sorted(last_by_year.items()):
        start = plan.base_period.plus_months(12 * (year - 1) + 1)
        missing = [str(start.plus_months(k)) for k in range(last.index - start.index + 1)]
        missing = [mo for mo in missing if Period.parse(mo) not in covered]
        if missing:
            out.append(
                Finding(
                    "monitor.missing_months",
                    Severity.WARNING,
                    f"計画{year}年目（{plan.plan_periods[year - 1]}期）の {', '.join(missing)} の実績がありません。"
                    "累計はある月どうしで比べています（年間の残りは欠けた月の分だけ大きく見えます）",
                    f"plan_year.{year}",
                    passed=False,
                    details={"plan_year": year, "months": missing},
                )
            )
    return out
