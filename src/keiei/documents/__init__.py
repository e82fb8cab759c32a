"""Documents built from a plan: the Excel workbook, the plan PDF and the programme's forms.

A layer over the core (the core never imports it). One function per document, data in, file
out, so the CLI (`keiei plan build`) and the web app share them:

    build_package(plan, out_dir, *, case=None, unit=None, scenario="base") -> list[BuiltFile]
    build_workbook(plan, check, out_path, *, unit=None, case=None) -> Path
    build_plan_pdf(plan, check, out_path, *, case=None, unit=None) -> Path
    build_forms(plan, case, out_dir, *, check=None, unit=None, only=None) -> list[Part]
    form_docs(plan) -> list[FormDoc]   the forms of a plan (key, title, bank addressed), unbuilt
    build_application_form / build_receipt / build_consent / build_payment_claim /
    build_monitoring_report(plan, case, out_path, ...) -> Path
    load_case(path) -> Case, parse_case(data) -> Case

`check` is `keiei.plancheck.run_check(plan, scenario)` (computed when None). See docs/documents.md.
"""

from keiei.case.file import Case, CaseInputError, load_case, parse_case
from keiei.documents.forms import (
    FormDoc,
    build_application_form,
    build_consent,
    build_forms,
    build_monitoring_report,
    build_payment_claim,
    build_receipt,
    form_docs,
)
from keiei.documents.package import BuiltFile, build_package
from keiei.documents.plan_pdf import build_plan_pdf
from keiei.documents.workbook import build_workbook

__all__ = [
    "BuiltFile",
    "Case",
    "CaseInputError",
    "FormDoc",
    "build_application_form",
    "build_consent",
    "build_forms",
    "build_monitoring_report",
    "build_package",
    "build_payment_claim",
    "build_plan_pdf",
    "build_receipt",
    "build_workbook",
    "form_docs",
    "load_case",
    "parse_case",
]
