"""Programme rules as dated data (YAML under rules/data/), and the one loader that reads them."""

from keiei.rules.programs import (
    CONTENT_LABELS,
    GUIDELINE_LABELS,
    PROGRAM_LABELS,
    PROGRAMS,
    MonitoringFlags,
    ProgramRules,
    ResolvedValue,
    SubsidyItemRule,
    all_effective_dates,
    check_program,
    monitoring_flags,
    program_start,
    rules_for,
)

__all__ = [
    "CONTENT_LABELS",
    "GUIDELINE_LABELS",
    "PROGRAMS",
    "PROGRAM_LABELS",
    "MonitoringFlags",
    "ProgramRules",
    "ResolvedValue",
    "SubsidyItemRule",
    "all_effective_dates",
    "check_program",
    "monitoring_flags",
    "program_start",
    "rules_for",
]
