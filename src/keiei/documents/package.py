"""The whole package for one plan: workbook, plan PDF and the programme's forms, in one folder.

One check (`keiei.plancheck.run_check`) feeds every document, so the workbook, the PDF and the
forms show the same figures and verdicts. Forms always use the base scenario (they are what is
filed); `scenario` only changes the workbook and the plan PDF (e.g. a stress case for a bank).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
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

    `parallel=True` lays out the plan PDF (the slowest part: WeasyPrint is pure Python) in a
    forked worker process while this process writes the workbook and the forms. Only where
    `fork` exists and there is more than one CPU; meant for the command line (a threaded web
    server should not fork). The files are the same either way.
    """
    case = case or EMPTY_CASE
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    base = check if check is not None and scenario == "base" else plan_check(plan, "base", on=case.application_date)
    chosen = base if scenario == "base" else plan_check(plan, scenario, on=case.application_date)
    pdf_path = out / PLAN_PDF_NAME
    worker = _fork_pool() if parallel else None
    pending: Future[Path] | None = None
    if worker is not None:
        pending = worker.submit(build_plan_pdf, plan, chosen, pdf_path, unit=unit, case=case)
    try:
        workbook = build_workbook(plan, chosen, out / WORKBOOK_NAME, unit=unit, case=case)
        forms = build_forms(plan, case, out, check=base, unit=unit)
        plan_pdf = (
            pending.result() if pending is not None else build_plan_pdf(plan, chosen, pdf_path, unit=unit, case=case)
        )
    finally:
        if worker is not None:
            worker.shutdown(wait=True, cancel_futures=True)
    files = [
        BuiltFile(workbook, "計画書（Excel）", "workbook"),
        BuiltFile(plan_pdf, "計画書（PDF）", "plan"),
    ]
    files += [BuiltFile(p.path, p.title, "form") for p in forms]
    return files


def _fork_pool() -> ProcessPoolExecutor | None:
    """One forked worker for the plan PDF, or None where forking would not help or is unsafe.

    Fork (not spawn) so the worker starts with keiei, WeasyPrint and the fonts already loaded;
    without a second CPU the worker would only compete with this process.
    """
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
