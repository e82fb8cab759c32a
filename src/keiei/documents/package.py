"""The whole package for one plan: workbook, plan PDF and the programme's forms, in one folder.

One check (`keiei.plancheck.run_check`) feeds every document, so the workbook, the PDF and the
forms show the same figures and verdicts. Forms always use the base scenario (they are what is
filed); `scenario` only changes the workbook and the plan PDF (e.g. a stress case for a bank).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keiei.case.file import EMPTY_CASE, Case
from keiei.documents.check import plan_check
from keiei.documents.figures import Unit
from keiei.documents.forms import build_forms
from keiei.documents.plan_pdf import build_plan_pdf
from keiei.documents.workbook import build_workbook
from keiei.plan import Plan

WORKBOOK_NAME = "plan.xlsx"
PLAN_PDF_NAME = "plan.pdf"


@dataclass(frozen=True)
class BuiltFile:
    path: Path
    title: str
    kind: str  # workbook | plan | form


def build_package(
    plan: Plan,
    out_dir: str | Path,
    *,
    case: Case | None = None,
    unit: Unit | None = None,
    scenario: str = "base",
    check: Mapping[str, Any] | None = None,
    parallel: bool = False,
) -> list[BuiltFile]:
    """Write every document of `plan` into `out_dir` (created if missing); list what was written.

    `parallel` is accepted and the build is sequential either way. Why: with WeasyPrint the
    plan PDF took seconds and was laid out in a forked worker; Typst lays it out in about a
    quarter of a second, less than forking a worker costs, and forking a process that has
    started Typst's thread pool can deadlock the child (seen in tests/documents/test_package.py).
    The flag stays so callers (`keiei plan build`) need no change; the files are the same.
    """
    case = case or EMPTY_CASE
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    base = check if check is not None and scenario == "base" else plan_check(plan, "base", on=case.application_date)
    chosen = base if scenario == "base" else plan_check(plan, scenario, on=case.application_date)
    del parallel  # accepted for callers; see the docstring
    workbook = build_workbook(plan, chosen, out / WORKBOOK_NAME, unit=unit, case=case)
    forms = build_forms(plan, case, out, check=base, unit=unit)
    plan_pdf = build_plan_pdf(plan, chosen, out / PLAN_PDF_NAME, unit=unit, case=case)
    files = [
        BuiltFile(workbook, "計画書（Excel）", "workbook"),
        BuiltFile(plan_pdf, "計画書（PDF）", "plan"),
    ]
    files += [BuiltFile(p.path, p.title, "form") for p in forms]
    return files
